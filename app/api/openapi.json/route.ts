// GET /api/openapi.json — the REST API as OpenAPI 3.1, generated from the endpoint contracts.
import { route } from "@/server/http/route";
import { getOpenApiDocument } from "@/server/openapi/api";
import { publishedDocument } from "@/server/openapi/published-document";

export const GET = route(getOpenApiDocument, ({ request }) => publishedDocument(request.url));
