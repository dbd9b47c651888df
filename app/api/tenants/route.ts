// GET /api/tenants — list tenants; POST /api/tenants — register one (optionally creating its schema).
import { createTenantEndpoint, listTenantsEndpoint } from "@/server/tenants/api";
import { createTenant, listTenants } from "@/server/tenants/service";
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";

export const GET = route(listTenantsEndpoint, ({ query }) => listTenants(query));

export const POST = route(createTenantEndpoint, async ({ body, principal, audit }) => {
  audit.details = { slug: body.slug, connection_id: body.connection_id, schema_name: body.schema_name, create_schema: body.create_schema };
  const created = await createTenant(body, actorName(principal));
  audit.resourceId = created.id;
  return created;
});
