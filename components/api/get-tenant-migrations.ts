import { queryOptions, useQuery } from "@tanstack/react-query";
import type { TenantMigrationsView } from "@/server/migrations/plans/plan-schemas";
import { fetchJson } from "./fetch-json";

export type TenantMigrations = TenantMigrationsView;

export const tenantMigrationKeys = {
  all: ["tenant-migrations"] as const,
  of: (tenantId: string) => ["tenant-migrations", tenantId] as const,
};

/** GET /api/tenants/{id}/migrations — applied versions (with drift), pending ones, and a fingerprint. */
export const tenantMigrationsQuery = (tenantId: string) =>
  queryOptions({
    queryKey: tenantMigrationKeys.of(tenantId),
    queryFn: ({ signal }) => fetchJson<TenantMigrations>(`/api/tenants/${encodeURIComponent(tenantId)}/migrations`, { signal }),
    staleTime: 15_000,
  });

export function useTenantMigrations(tenantId: string) {
  return useQuery(tenantMigrationsQuery(tenantId));
}
