// GET /api/migrations/status/{id} — one execution: progress and per-target results.
import { executionStatusEndpoint } from "@/server/migrations/api";
import { getExecutionDetail } from "@/server/migrations/executions/read-executions";
import { route } from "@/server/http/route";

export const GET = route(executionStatusEndpoint, ({ params, query }) => getExecutionDetail(params.id, query));
