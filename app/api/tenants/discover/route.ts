// GET /api/tenants/discover — unregistered schemas matching a pattern on a database;
// POST /api/tenants/discover — register a list of them as tenants, all or nothing (optionally baselining them).
import { discoverTenantsEndpoint, registerDiscoveredEndpoint } from "@/server/tenants/api";
import { discoverSchemas } from "@/server/tenants/discovery";
import { route } from "@/server/http/route";
import { baselineAuditDetails } from "@/server/migrations/history-edits/baseline-service";
import { registerDiscoveredWithBaseline } from "@/server/migrations/history-edits/register-tenants";

export const GET = route(discoverTenantsEndpoint, ({ query }) => discoverSchemas(query));

export const POST = route(registerDiscoveredEndpoint, async ({ body, principal, audit }) => {
  audit.details = {
    connection_id: body.connection_id,
    schemas: body.tenants.map((t) => t.schema_name),
    ...(body.baseline ? { baseline: baselineAuditDetails(body.baseline) } : {}),
  };
  const registered = await registerDiscoveredWithBaseline(body, principal);
  if (body.baseline && registered.baseline) audit.details.baseline = baselineAuditDetails(body.baseline, registered.baseline);
  return registered;
});
