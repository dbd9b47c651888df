// POST /api/migrations/execute — plan a scope and start (or rehearse) it; 202 with the execution.
import { executeEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { createExecution } from "@/server/migrations/executions/create-execution";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { route } from "@/server/http/route";

export const POST = route(executeEndpoint, async ({ body, principal, audit }) => {
  const { dry_run, plan_fingerprint, rollout, ...scope } = body;
  audit.details = { scope: scope.scope, dry_run, pinned: !!plan_fingerprint, ...(rollout ? { rollout } : {}) };
  const execution = await createExecution({
    scope,
    dryRun: dry_run,
    planFingerprint: plan_fingerprint,
    executedBy: actorName(principal),
    rollout,
  });
  audit.resourceId = execution!.id;
  return getExecutionDetail(execution!.id);
});
