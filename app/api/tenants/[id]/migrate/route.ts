// POST /api/tenants/{id}/migrate — an execution (or rehearsal) of one tenant's schema.
import { tenantMigrateEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { migrateTenant } from "@/server/migrations/executions/tenant-migrations";
import { route } from "@/server/http/route";

export const POST = route(tenantMigrateEndpoint, async ({ params, body, principal, audit }) => {
  audit.details = { dry_run: body.dry_run, pinned: !!body.plan_fingerprint };
  const execution = await migrateTenant(params.id, {
    dryRun: body.dry_run,
    planFingerprint: body.plan_fingerprint,
    executedBy: actorName(principal),
  });
  audit.details.execution_id = execution.id;
  return getExecutionDetail(execution.id);
});
