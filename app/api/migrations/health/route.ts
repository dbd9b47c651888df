// GET /api/migrations/health — catalog, workers (heartbeats) and job queue state.
import { migrationsHealthEndpoint } from "@/server/migrations/api";
import { migrationsHealth } from "@/server/health/migrations-health";
import { route } from "@/server/http/route";

export const GET = route(migrationsHealthEndpoint, () => migrationsHealth());
