import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Connection } from "@/server/databases/schemas";
import { fetchJson } from "./fetch-json";
import { connectionKeys } from "./list-connections";

/** GET /api/databases/{id} — one registered database (never its password). */
export const connectionQuery = (id: string) =>
  queryOptions({
    queryKey: connectionKeys.detail(id),
    queryFn: ({ signal }) => fetchJson<Connection>(`/api/databases/${id}`, { signal }),
  });

export function useConnection(id: string) {
  return useQuery(connectionQuery(id));
}
