import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { MigrationStateFilter } from "@/server/contracts/migration-state";
import type { TenantStatus } from "@/server/domain/fleet";
import type { TenantList, TenantListQuery } from "@/server/tenants/schemas";
import { fetchJson, toQuery } from "./fetch-json";

export interface TenantFilters {
  search?: string;
  region?: string;
  status?: TenantStatus;
  connection_id?: string;
  /** at head, behind, failed last run, blocked, not read yet (the fleet state store's view). */
  state?: MigrationStateFilter;
  sort?: TenantListQuery["sort"];
  order?: TenantListQuery["order"];
  limit: number;
  offset: number;
}

/** Every tenant query starts with "tenants": the tenant mutations invalidate `tenantKeys.all`. */
export const tenantKeys = {
  all: ["tenants"] as const,
  list: (filters: TenantFilters) => ["tenants", "list", filters] as const,
  detail: (id: string) => ["tenants", "detail", id] as const,
};

/** GET /api/tenants — one page of tenants, filtered (the Tenants page, the tenant picker, a database's tenants). */
export const tenantsQuery = (filters: TenantFilters) =>
  queryOptions({
    queryKey: tenantKeys.list(filters),
    queryFn: ({ signal }) => fetchJson<TenantList>(`/api/tenants${toQuery({ ...filters })}`, { signal }),
    placeholderData: keepPreviousData,
  });

export function useTenants(filters: TenantFilters, enabled = true) {
  return useQuery({ ...tenantsQuery(filters), enabled });
}
