// GET /api/health/detailed — every dependency's health and the overall status (infrastructure:admin).
import { getDetailedHealth } from "@/server/health/api";
import { detailedHealth } from "@/server/health/detailed-health";
import { route } from "@/server/http/route";

export const GET = route(getDetailedHealth, () => detailedHealth());
