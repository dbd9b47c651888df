// GET /api/databases/{id}/health — recorded health of a database and its recent checks.
import { getDatabaseHealth } from "@/server/databases/api";
import { getConnectionHealth } from "@/server/databases/health-service";
import { route } from "@/server/http/route";

export const GET = route(getDatabaseHealth, ({ params, query }) => getConnectionHealth(params.id, query.history_limit));
