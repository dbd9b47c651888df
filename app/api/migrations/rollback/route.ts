// POST /api/migrations/rollback — undo (or rehearse undoing) what an execution applied, as a new execution.
import { rollbackEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { rollbackExecution } from "@/server/migrations/executions/rollback-execution";
import { route } from "@/server/http/route";

export const POST = route(rollbackEndpoint, async ({ body, principal, audit }) => {
  audit.resourceId = body.execution_id;
  audit.details = { dry_run: body.dry_run, ...(body.target_ids ? { target_ids: body.target_ids } : {}) };
  const rollback = await rollbackExecution(body.execution_id, {
    targetIds: body.target_ids,
    dryRun: body.dry_run,
    executedBy: actorName(principal),
  });
  audit.details.rollback_id = rollback.id;
  return getExecutionDetail(rollback.id);
});
