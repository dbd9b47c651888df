import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { fetchJson, toQuery } from "@/components/api/fetch-json";
import type { Tier } from "@/server/domain/fleet";
import type { Connection, ConnectionHealth, ConnectionList } from "@/server/databases/schemas";

export interface ConnectionFilters {
  search?: string;
  connection_type?: Tier;
  region?: string;
  is_active?: boolean;
  limit: number;
  offset: number;
}

/** Query keys: every mutation invalidates `connectionKeys.all`, so lists and details refresh together. */
export const connectionKeys = {
  all: ["connections"] as const,
  list: (filters: ConnectionFilters) => ["connections", "list", filters] as const,
  detail: (id: string) => ["connections", "detail", id] as const,
  health: (id: string) => ["connections", "health", id] as const,
};

export const connectionsQuery = (filters: ConnectionFilters) =>
  queryOptions({
    queryKey: connectionKeys.list(filters),
    queryFn: () => fetchJson<ConnectionList>(`/api/databases${toQuery({ ...filters })}`),
    placeholderData: keepPreviousData,
  });

export const connectionQuery = (id: string) =>
  queryOptions({
    queryKey: connectionKeys.detail(id),
    queryFn: () => fetchJson<Connection>(`/api/databases/${id}`),
  });

export const connectionHealthQuery = (id: string) =>
  queryOptions({
    queryKey: connectionKeys.health(id),
    queryFn: () => fetchJson<ConnectionHealth>(`/api/databases/${id}/health?history_limit=100`),
    // Health changes on its own (the background refresher): keep the page current.
    refetchInterval: 15_000,
  });
