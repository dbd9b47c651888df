// GET /api/tenants/{id}/drop-preview — what dropping the tenant's schema would remove, and what stands in the way.
import { tenantSchemaDropPreviewEndpoint } from "@/server/tenants/api";
import { previewSchemaDrop } from "@/server/tenant-lifecycle/drop-tenant-schema";
import { route } from "@/server/http/route";

export const GET = route(tenantSchemaDropPreviewEndpoint, ({ params }) => previewSchemaDrop(params.id));
