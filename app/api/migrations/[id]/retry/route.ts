// POST /api/migrations/{id}/retry — run a failed or cancelled execution's unfinished targets again.
import { retryEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { retryExecution } from "@/server/migrations/executions/retry-execution";
import { route } from "@/server/http/route";

export const POST = route(retryEndpoint, async ({ params, principal, audit }) => {
  const retry = await retryExecution(params.id, actorName(principal));
  audit.details = { retry_id: retry.id, retried_targets: retry.metadata.retried_targets };
  return getExecutionDetail(retry.id);
});
