// GET /api/health/services/{name} — one dependency's health; 404 for a name that is not a service.
import { getServiceHealth } from "@/server/health/api";
import { serviceHealthOrThrow } from "@/server/health/detailed-health";
import { route } from "@/server/http/route";

export const GET = route(getServiceHealth, ({ params }) => serviceHealthOrThrow(params.name));
