import { defineEndpoint } from "../contracts/endpoint";

export const getPrometheusMetrics = defineEndpoint({
  method: "GET",
  path: "/api/metrics",
  summary: "Prometheus metrics (text exposition format)",
  description:
    "For a Prometheus scrape job: a Keycloak token with infrastructure:admin, or `Authorization: Bearer <METRICS_TOKEN>` " +
    "when METRICS_TOKEN is set. HTTP request durations by route and status, executions and their targets by status, " +
    "per-target and per-execution durations, job queue depth, control-plane and fleet pool usage, process figures.",
  tags: ["Health"],
  access: "infrastructure:admin",
  produces: "text/plain; version=0.0.4; charset=utf-8",
  rateLimited: false,
});
