import { queryOptions, useQuery } from "@tanstack/react-query";
import type { SystemMetrics } from "@/server/health/schemas";
import { fetchJson } from "./fetch-json";

export type { SystemMetrics };

export const systemMetricsKeys = { all: ["health", "metrics"] as const };

/** GET /api/health/metrics — this console process, its pools and the job queue (infrastructure:admin). */
export const systemMetricsQuery = () =>
  queryOptions({
    queryKey: systemMetricsKeys.all,
    queryFn: ({ signal }) => fetchJson<SystemMetrics>("/api/health/metrics", { signal }),
    refetchInterval: 30_000,
  });

export function useSystemMetrics(enabled = true) {
  return useQuery({ ...systemMetricsQuery(), enabled });
}
