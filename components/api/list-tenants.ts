import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { fetchJson, toQuery } from "@/components/api/fetch-json";
import type { TenantStatus } from "@/server/domain/fleet";
import type { ConnectionList } from "@/server/databases/schemas";
import type { Tenant, TenantList } from "@/server/tenants/schemas";

export interface TenantFilters {
  search?: string;
  region?: string;
  status?: TenantStatus;
  connection_id?: string;
  limit: number;
  offset: number;
}

export const tenantKeys = {
  all: ["tenants"] as const,
  list: (filters: TenantFilters) => ["tenants", "list", filters] as const,
  detail: (id: string) => ["tenants", "detail", id] as const,
};

export const tenantsQuery = (filters: TenantFilters) =>
  queryOptions({
    queryKey: tenantKeys.list(filters),
    queryFn: () => fetchJson<TenantList>(`/api/tenants${toQuery({ ...filters })}`),
    placeholderData: keepPreviousData,
  });

export const tenantQuery = (id: string) =>
  queryOptions({
    queryKey: tenantKeys.detail(id),
    queryFn: () => fetchJson<Tenant>(`/api/tenants/${id}`),
  });

/** Databases a tenant can live on (shared and tenant tiers), for pickers and filters. */
export const hostingConnectionsQuery = () =>
  queryOptions({
    queryKey: ["connections", "hosting"] as const,
    queryFn: async () => {
      const [shared, dedicated] = await Promise.all([
        fetchJson<ConnectionList>(`/api/databases${toQuery({ connection_type: "shared", limit: 200 })}`),
        fetchJson<ConnectionList>(`/api/databases${toQuery({ connection_type: "tenant", limit: 200 })}`),
      ]);
      return [...shared.items, ...dedicated.items];
    },
    staleTime: 60_000,
  });
