// GET /swagger — Swagger UI over /api/openapi.json; 404 in production.
import { swaggerEnabled, swaggerPage } from "@/server/openapi/swagger";

export function GET(request: Request) {
  if (!swaggerEnabled()) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
  return new Response(swaggerPage(request.headers.get("x-nonce")), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
