import { defineEndpoint } from "../contracts/endpoint";
import {
  SERVICE_NAMES,
  ZBasicHealth,
  ZDetailedHealth,
  ZLiveness,
  ZReadiness,
  ZServiceHealth,
  ZServiceNameParams,
  ZSystemMetrics,
} from "./schemas";

const tags = ["Health"];

// Health endpoints are never rate limited: probes and monitors call them on a fixed schedule.

export const getHealth = defineEndpoint({
  method: "GET",
  path: "/api/health",
  summary: "Basic health: the console process is up",
  tags,
  access: "public",
  response: ZBasicHealth,
  rateLimited: false,
});

export const getLiveness = defineEndpoint({
  method: "GET",
  path: "/api/health/live",
  summary: "Liveness probe: the process answers",
  description: "Touches no dependency, so an outage of the database never gets the console restarted.",
  tags,
  access: "public",
  response: ZLiveness,
  rateLimited: false,
});

export const getReadiness = defineEndpoint({
  method: "GET",
  path: "/api/health/ready",
  summary: "Readiness probe: the control plane is reachable and its schema migrated",
  description: "503 (service_unavailable, with the failed check in details.checks) when this instance cannot serve requests.",
  tags,
  access: "public",
  response: ZReadiness,
  errors: [503],
  rateLimited: false,
});

export const getDetailedHealth = defineEndpoint({
  method: "GET",
  path: "/api/health/detailed",
  summary: "Health of every service the console depends on",
  description:
    `Services: ${SERVICE_NAMES.join(", ")}. overall_status is unhealthy when the control-plane database is unhealthy, ` +
    "degraded when any service is unhealthy or degraded, healthy otherwise (a service never measured, status unknown, " +
    "does not lower it). Always 200: read overall_status.",
  tags,
  access: "infrastructure:admin",
  response: ZDetailedHealth,
  rateLimited: false,
});

export const getServiceHealth = defineEndpoint({
  method: "GET",
  path: "/api/health/services/{name}",
  summary: "Health of one service",
  description: `name is one of ${SERVICE_NAMES.join(", ")}; any other name is 404.`,
  tags,
  access: "infrastructure:admin",
  params: ZServiceNameParams,
  response: ZServiceHealth,
  errors: [404],
  rateLimited: false,
});

export const getSystemMetrics = defineEndpoint({
  method: "GET",
  path: "/api/health/metrics",
  summary: "Process, pool and execution figures as JSON",
  description: "Memory and CPU of this process, control-plane and fleet pool usage, executions by status, job queue depth.",
  tags,
  access: "infrastructure:admin",
  response: ZSystemMetrics,
  rateLimited: false,
});
