// GET /api/health — public liveness summary (status, version, environment) for probes and humans.
import { getHealth } from "@/server/health/api";
import { basicHealth } from "@/server/health/basic-health";
import { route } from "@/server/http/route";

export const GET = route(getHealth, () => basicHealth());
