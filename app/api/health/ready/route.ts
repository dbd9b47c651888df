// GET /api/health/ready — readiness probe: 503 until the control plane answers with its schema migrated.
import { getReadiness } from "@/server/health/api";
import { readinessOrThrow } from "@/server/health/probes";
import { route } from "@/server/http/route";

export const GET = route(getReadiness, () => readinessOrThrow());
