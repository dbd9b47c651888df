// GET /api/tenants — list tenants with their migration state; POST /api/tenants — register one (optionally creating its schema, baselining it, or migrating it to the catalog's head).
import { createTenantEndpoint, listTenantsEndpoint } from "@/server/tenants/api";
import { listTenantsWithState } from "@/server/migrations/plans/fleet-state";
import { onboardingAuditDetails, onboardTenant } from "@/server/tenant-lifecycle/onboard-tenant";
import { route } from "@/server/http/route";
import { baselineAuditDetails } from "@/server/migrations/history-edits/baseline-service";

export const GET = route(listTenantsEndpoint, ({ query }) => listTenantsWithState(query));

export const POST = route(createTenantEndpoint, async ({ body, principal, audit }) => {
  audit.details = {
    slug: body.slug,
    connection_id: body.connection_id,
    schema_name: body.schema_name,
    create_schema: body.create_schema,
    migrate: body.migrate,
    ...(body.baseline ? { baseline: baselineAuditDetails(body.baseline) } : {}),
  };
  const created = await onboardTenant(body, principal);
  audit.resourceId = created.id;
  if (body.baseline && created.baseline) audit.details.baseline = baselineAuditDetails(body.baseline, created.baseline);
  if (created.migration) audit.details.migration = onboardingAuditDetails(created.migration);
  return created;
});
