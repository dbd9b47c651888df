import "server-only";
import { getSettings } from "../config/settings";
import { AppError } from "../errors/app-error";
import { SERVICE_NAMES, type DetailedHealth, type ServiceHealth, type ServiceName } from "./schemas";
import { checkService } from "./service-checks";

/**
 * The overall status, from the services' statuses:
 * - unhealthy: the control-plane database is unhealthy (nothing works without it);
 * - degraded: any service is unhealthy or degraded (Keycloak down: no new sign-ins or token keys;
 *   worker stalled: executions wait; fleet databases down: their targets fail);
 * - healthy: otherwise. `unknown` (never measured: an empty fleet, a queue no worker has installed
 *   yet) does not lower the status: there is nothing wrong to report.
 */
export const OVERALL_STATUS_RULE =
  "unhealthy when the control-plane database is unhealthy; degraded when any service is unhealthy or degraded; " +
  "healthy otherwise (a service that was never measured, status unknown, does not lower it)";

export function overallStatus(services: readonly ServiceHealth[]): DetailedHealth["overall_status"] {
  if (services.some((s) => s.name === "control_plane" && s.status === "unhealthy")) return "unhealthy";
  if (services.some((s) => s.status === "unhealthy" || s.status === "degraded")) return "degraded";
  return "healthy";
}

export async function detailedHealth(): Promise<DetailedHealth> {
  const settings = getSettings();
  const services = await Promise.all(SERVICE_NAMES.map(checkService));
  const count = (status: ServiceHealth["status"]) => services.filter((s) => s.status === status).length;
  return {
    overall_status: overallStatus(services),
    timestamp: new Date().toISOString(),
    version: settings.appVersion,
    environment: settings.environment,
    services,
    summary: {
      total_services: services.length,
      healthy_services: count("healthy"),
      degraded_services: count("degraded"),
      unhealthy_services: count("unhealthy"),
      unknown_services: count("unknown"),
    },
  };
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

export async function serviceHealthOrThrow(name: string): Promise<ServiceHealth> {
  if (!isServiceName(name)) {
    throw new AppError("not_found", `health service ${name} not found`, { resource: "health service", id: name, known: SERVICE_NAMES });
  }
  return checkService(name);
}
