// POST /api/migrations/rollback — undo what a completed execution applied, as a new execution.
import { rollbackEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { rollbackExecution } from "@/server/migrations/executions/rollback-execution";
import { route } from "@/server/http/route";

export const POST = route(rollbackEndpoint, async ({ body, principal, audit }) => {
  audit.resourceId = body.execution_id;
  const rollback = await rollbackExecution(body.execution_id, actorName(principal));
  audit.details = { rollback_id: rollback.id };
  return getExecutionDetail(rollback.id);
});
