import { queryOptions, useQuery } from "@tanstack/react-query";
import type { MigrationsHealth } from "@/server/health/migrations-health";
import { fetchJson } from "./fetch-json";

export type { MigrationsHealth };

export const migrationsHealthKeys = { all: ["health", "migrations"] as const };

/** GET /api/migrations/health — catalog, workers and job queue: can migrations run right now? */
export const migrationsHealthQuery = () =>
  queryOptions({
    queryKey: migrationsHealthKeys.all,
    queryFn: ({ signal }) => fetchJson<MigrationsHealth>("/api/migrations/health", { signal }),
    refetchInterval: 30_000,
  });

export function useMigrationsHealth(enabled = true) {
  return useQuery({ ...migrationsHealthQuery(), enabled });
}
