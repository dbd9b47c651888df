import { queryOptions, useQuery } from "@tanstack/react-query";
import type { DetailedHealth } from "@/server/health/schemas";
import { fetchJson } from "./fetch-json";

export type { DetailedHealth };
export type ServiceHealth = DetailedHealth["services"][number];

export const detailedHealthKeys = { all: ["health", "detailed"] as const };

/** GET /api/health/detailed — every service the console depends on (infrastructure:admin). */
export const detailedHealthQuery = () =>
  queryOptions({
    queryKey: detailedHealthKeys.all,
    queryFn: ({ signal }) => fetchJson<DetailedHealth>("/api/health/detailed", { signal }),
    // Health changes without anyone acting in the console; a slow refresh keeps the page honest
    // without spending the caller's rate limit (health endpoints are not rate limited anyway).
    refetchInterval: 30_000,
  });

export function useDetailedHealth(enabled = true) {
  return useQuery({ ...detailedHealthQuery(), enabled });
}
