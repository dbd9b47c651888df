import { queryOptions, useQuery } from "@tanstack/react-query";
import type { BasicHealth } from "@/server/health/schemas";
import { fetchJson } from "./fetch-json";

export type { BasicHealth };

export const basicHealthKeys = { all: ["health", "basic"] as const };

/** GET /api/health — whether the console itself is up (anyone). */
export const basicHealthQuery = () =>
  queryOptions({
    queryKey: basicHealthKeys.all,
    queryFn: ({ signal }) => fetchJson<BasicHealth>("/api/health", { signal }),
    refetchInterval: 30_000,
  });

export function useBasicHealth(enabled = true) {
  return useQuery({ ...basicHealthQuery(), enabled });
}
