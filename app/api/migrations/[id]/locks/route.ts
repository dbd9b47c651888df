// GET /api/migrations/{id}/locks — which running targets wait on a lock, and who holds it.
import { route } from "@/server/http/route";
import { executionLocksEndpoint } from "@/server/migrations/api";
import { executionLocksOrThrow } from "@/server/migrations/executions/lock-view";

export const GET = route(executionLocksEndpoint, ({ params }) => executionLocksOrThrow(params.id));
