// POST /api/tenants/{id}/rollback — one tenant back to a version (or a rehearsal of that).
import { tenantRollbackEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { rollbackTenant } from "@/server/migrations/executions/tenant-migrations";
import { route } from "@/server/http/route";

export const POST = route(tenantRollbackEndpoint, async ({ params, body, principal, audit }) => {
  audit.details = { to_version: body.to_version, dry_run: body.dry_run };
  const rollback = await rollbackTenant(params.id, { toVersion: body.to_version, dryRun: body.dry_run, executedBy: actorName(principal) });
  audit.details.execution_id = rollback.id;
  return getExecutionDetail(rollback.id);
});
