// GET /api/tenants — list tenants; POST /api/tenants — register one (optionally creating its schema, or baselining it).
import { createTenantEndpoint, listTenantsEndpoint } from "@/server/tenants/api";
import { listTenants } from "@/server/tenants/service";
import { createTenantWithBaseline } from "@/server/migrations/history-edits/register-tenants";
import { route } from "@/server/http/route";
import { baselineAuditDetails } from "@/server/migrations/history-edits/baseline-service";

export const GET = route(listTenantsEndpoint, ({ query }) => listTenants(query));

export const POST = route(createTenantEndpoint, async ({ body, principal, audit }) => {
  audit.details = {
    slug: body.slug,
    connection_id: body.connection_id,
    schema_name: body.schema_name,
    create_schema: body.create_schema,
    ...(body.baseline ? { baseline: baselineAuditDetails(body.baseline) } : {}),
  };
  const created = await createTenantWithBaseline(body, principal);
  audit.resourceId = created.id;
  if (body.baseline && created.baseline) audit.details.baseline = baselineAuditDetails(body.baseline, created.baseline);
  return created;
});
