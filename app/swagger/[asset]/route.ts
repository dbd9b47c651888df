// GET /swagger/{asset} — Swagger UI's own files, served locally; 404 in production and for any other name.
import { swaggerAsset, swaggerEnabled } from "@/server/openapi/swagger";

export async function GET(_request: Request, { params }: { params: Promise<{ asset: string }> }) {
  const asset = swaggerEnabled() ? await swaggerAsset((await params).asset) : null;
  if (!asset) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
  return new Response(new Uint8Array(typeof asset.body === "string" ? Buffer.from(asset.body) : asset.body), {
    headers: { "content-type": asset.contentType, "cache-control": "public, max-age=3600" },
  });
}
