// GET /api/health/metrics — process, pool, queue and execution figures as JSON (infrastructure:admin).
import { getSystemMetrics } from "@/server/health/api";
import { systemMetrics } from "@/server/health/system-metrics";
import { route } from "@/server/http/route";

export const GET = route(getSystemMetrics, () => systemMetrics());
