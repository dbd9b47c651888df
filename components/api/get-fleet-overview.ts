import { queryOptions, useQuery } from "@tanstack/react-query";
import { fetchJson, toQuery } from "./fetch-json";
import type { Connection, ConnectionList } from "@/server/databases/schemas";
import type { TenantList } from "@/server/tenants/schemas";

export interface FleetOverview {
  connections: Connection[];
  totalConnections: number;
  /** Active tenants per region, counted by the registry. */
  tenantsByRegion: Array<{ region: string; tenants: number }>;
  totalTenants: number;
}

/**
 * The registry at a glance: every database (the list endpoint's largest page) and tenant counts
 * per region (one count query per region, which the registry answers from an index).
 */
export const fleetOverviewQuery = () =>
  queryOptions({
    queryKey: ["overview", "fleet"] as const,
    queryFn: async ({ signal }): Promise<FleetOverview> => {
      const list = await fetchJson<ConnectionList>(`/api/databases${toQuery({ limit: 200 })}`, { signal });
      const regions = [...new Set(list.items.map((c) => c.region).filter((r): r is string => !!r))].sort();
      const [all, ...perRegion] = await Promise.all([
        fetchJson<TenantList>(`/api/tenants${toQuery({ limit: 1, status: "active" })}`, { signal }),
        ...regions.map((region) => fetchJson<TenantList>(`/api/tenants${toQuery({ limit: 1, region, status: "active" })}`, { signal })),
      ]);
      return {
        connections: list.items,
        totalConnections: list.total,
        tenantsByRegion: regions.map((region, i) => ({ region, tenants: perRegion[i]!.total })),
        totalTenants: all!.total,
      };
    },
    staleTime: 30_000,
  });

export function useFleetOverview(enabled = true) {
  return useQuery({ ...fleetOverviewQuery(), enabled });
}
