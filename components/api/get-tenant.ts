import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Tenant } from "@/server/tenants/schemas";
import { fetchJson } from "./fetch-json";
import { tenantKeys } from "./list-tenants";

/** GET /api/tenants/{id} — one tenant and where it lives. */
export const tenantQuery = (id: string) =>
  queryOptions({
    queryKey: tenantKeys.detail(id),
    queryFn: ({ signal }) => fetchJson<Tenant>(`/api/tenants/${id}`, { signal }),
  });

export function useTenant(id: string) {
  return useQuery(tenantQuery(id));
}
