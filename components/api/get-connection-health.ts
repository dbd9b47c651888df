import { queryOptions, useQuery } from "@tanstack/react-query";
import type { ConnectionHealth } from "@/server/databases/schemas";
import { fetchJson } from "./fetch-json";
import { connectionKeys } from "./list-connections";

/** GET /api/databases/{id}/health — the latest probe and the last 100 checks, for the detail page's chart. */
export const connectionHealthQuery = (id: string) =>
  queryOptions({
    queryKey: connectionKeys.health(id),
    queryFn: ({ signal }) => fetchJson<ConnectionHealth>(`/api/databases/${id}/health?history_limit=100`, { signal }),
    // Health changes on its own (the background refresher): keep the page current.
    refetchInterval: 15_000,
  });

export function useConnectionHealth(id: string) {
  return useQuery(connectionHealthQuery(id));
}
