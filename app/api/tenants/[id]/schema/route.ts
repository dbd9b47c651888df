// DELETE /api/tenants/{id}/schema — drop the tenant's schema once its name is typed as confirmation (infrastructure:admin).
import { dropTenantSchemaEndpoint } from "@/server/tenants/api";
import { dropTenantSchema } from "@/server/tenant-lifecycle/drop-tenant-schema";
import { route } from "@/server/http/route";

export const DELETE = route(dropTenantSchemaEndpoint, async ({ params, body, audit }) => {
  audit.details = { confirm: body.confirm };
  const result = await dropTenantSchema(params.id, body.confirm);
  audit.details = { schema_name: result.schema_name, connection_name: result.connection_name, dropped: result.dropped };
  return result;
});
