import { queryOptions, useQuery } from "@tanstack/react-query";
import { fetchJson, toQuery } from "./fetch-json";
import type { ConnectionList } from "@/server/databases/schemas";

export interface ScopeChoices {
  regions: string[];
  databases: Array<{ id: string; name: string; tier: string; region: string | null; active: boolean }>;
}

/**
 * Regions and databases to choose a scope from, read from the registry (GET /api/databases, which
 * needs databases:read; without it the chooser takes a typed region instead).
 */
export const scopeChoicesQuery = () =>
  queryOptions({
    queryKey: ["connections", "scope-choices"] as const,
    queryFn: async ({ signal }): Promise<ScopeChoices> => {
      const list = await fetchJson<ConnectionList>(`/api/databases${toQuery({ limit: 200 })}`, { signal });
      const regions = [...new Set(list.items.map((c) => c.region).filter((r): r is string => !!r))].sort();
      return {
        regions,
        databases: list.items.map((c) => ({
          id: c.id,
          name: c.name,
          tier: c.connection_type,
          region: c.region,
          active: c.is_active,
        })),
      };
    },
    staleTime: 5 * 60_000,
  });

export function useScopeChoices(enabled = true) {
  return useQuery({ ...scopeChoicesQuery(), enabled });
}
