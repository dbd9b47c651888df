// GET /api/openapi.json — the REST API as OpenAPI 3.1, generated from the endpoint contracts.
import { route } from "@/server/http/route";
import { getOpenApiDocument } from "@/server/openapi/api";
import { publishedDocumentJson } from "@/server/openapi/published-document";

export const GET = route(
  getOpenApiDocument,
  ({ request }) =>
    new Response(publishedDocumentJson(request.url), {
      headers: { "content-type": "application/json", "cache-control": "public, max-age=60" },
    }),
);
