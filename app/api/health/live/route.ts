// GET /api/health/live — liveness probe: answers while the process runs, touches no dependency.
import { getLiveness } from "@/server/health/api";
import { liveness } from "@/server/health/probes";
import { route } from "@/server/http/route";

export const GET = route(getLiveness, () => liveness());
