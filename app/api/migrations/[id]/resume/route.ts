// POST /api/migrations/{id}/resume — a halted rollout goes on, its halted wave's failed targets run again.
import { resumeEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { executionSummaryView } from "@/server/migrations/executions/execution-view";
import { resumeExecution } from "@/server/migrations/executions/resume-execution";
import { route } from "@/server/http/route";

export const POST = route(resumeEndpoint, async ({ params, body, principal, audit }) => {
  audit.details = { retry_failed: body.retry_failed };
  return executionSummaryView(await resumeExecution(params.id, actorName(principal), { retryFailed: body.retry_failed }));
});
