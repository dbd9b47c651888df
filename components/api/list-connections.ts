import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { Tier } from "@/server/domain/fleet";
import type { ConnectionList } from "@/server/databases/schemas";
import { fetchJson, toQuery } from "./fetch-json";

export interface ConnectionFilters {
  search?: string;
  connection_type?: Tier;
  region?: string;
  is_active?: boolean;
  limit: number;
  offset: number;
}

/**
 * Every registry-of-databases query starts with "connections": the connection mutations invalidate
 * `connectionKeys.all`, so lists, details, health, pickers and scope choices refresh together.
 */
export const connectionKeys = {
  all: ["connections"] as const,
  list: (filters: ConnectionFilters) => ["connections", "list", filters] as const,
  detail: (id: string) => ["connections", "detail", id] as const,
  health: (id: string) => ["connections", "health", id] as const,
  hosting: ["connections", "hosting"] as const,
};

/** GET /api/databases — one page of registered databases, filtered. */
export const connectionsQuery = (filters: ConnectionFilters) =>
  queryOptions({
    queryKey: connectionKeys.list(filters),
    queryFn: ({ signal }) => fetchJson<ConnectionList>(`/api/databases${toQuery({ ...filters })}`, { signal }),
    placeholderData: keepPreviousData,
  });

export function useConnections(filters: ConnectionFilters) {
  return useQuery(connectionsQuery(filters));
}
