// POST /api/migrations/rollback/to-version — undo (or rehearse undoing) what one target applied after a version.
import { rollbackToVersionEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { rollbackToVersion } from "@/server/migrations/executions/rollback-execution";
import { route } from "@/server/http/route";

export const POST = route(rollbackToVersionEndpoint, async ({ body, principal, audit }) => {
  const { dry_run: dryRun, ...target } = body;
  audit.details = { ...target, dry_run: dryRun };
  const rollback = await rollbackToVersion(target, { dryRun, executedBy: actorName(principal) });
  audit.resourceId = rollback.id;
  return getExecutionDetail(rollback.id);
});
