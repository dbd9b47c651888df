// GET /api/migrations — executions, newest first, filtered and paginated.
import { listExecutionsEndpoint } from "@/server/migrations/api";
import { listExecutionSummaries } from "@/server/migrations/executions/read-executions";
import { route } from "@/server/http/route";

export const GET = route(listExecutionsEndpoint, ({ query }) => listExecutionSummaries(query));
