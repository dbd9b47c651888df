import { queryOptions, useQuery } from "@tanstack/react-query";
import type { ConnectionList } from "@/server/databases/schemas";
import { fetchJson, toQuery } from "./fetch-json";
import { connectionKeys } from "./list-connections";

/** Databases a tenant can live on (shared and tenant tiers), for pickers and filters. */
export const hostingConnectionsQuery = () =>
  queryOptions({
    queryKey: connectionKeys.hosting,
    queryFn: async ({ signal }) => {
      const [shared, dedicated] = await Promise.all([
        fetchJson<ConnectionList>(`/api/databases${toQuery({ connection_type: "shared", limit: 200 })}`, { signal }),
        fetchJson<ConnectionList>(`/api/databases${toQuery({ connection_type: "tenant", limit: 200 })}`, { signal }),
      ]);
      return [...shared.items, ...dedicated.items];
    },
    staleTime: 60_000,
  });

/** `enabled` false for a viewer without databases:read (the list would be a 403). */
export function useHostingConnections(enabled = true) {
  return useQuery({ ...hostingConnectionsQuery(), enabled });
}
