// POST /api/migrations/{id}/cancel — skip queued targets, stop running ones after their current migration.
import { cancelEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { cancelExecution } from "@/server/migrations/executions/cancel-execution";
import { executionSummaryView } from "@/server/migrations/executions/execution-view";
import { route } from "@/server/http/route";

export const POST = route(cancelEndpoint, async ({ params, principal }) =>
  executionSummaryView(await cancelExecution(params.id, actorName(principal))),
);
