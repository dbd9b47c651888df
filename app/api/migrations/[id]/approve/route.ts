// POST /api/migrations/{id}/approve — a second person approves an execution waiting in pending.
import { approveEndpoint } from "@/server/migrations/api";
import { actorName } from "@/server/auth/principal";
import { approveExecution } from "@/server/migrations/executions/approve-execution";
import { executionSummaryView } from "@/server/migrations/executions/execution-view";
import { route } from "@/server/http/route";

export const POST = route(approveEndpoint, async ({ params, principal }) =>
  executionSummaryView(await approveExecution(params.id, actorName(principal))),
);
