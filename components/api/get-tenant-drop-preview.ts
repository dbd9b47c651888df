import { queryOptions, useQuery } from "@tanstack/react-query";
import type { SchemaDropPreview } from "@/server/tenants/schemas";
import { fetchJson } from "./fetch-json";

export type { SchemaDropPreview };

export const tenantDropPreviewKeys = {
  of: (tenantId: string) => ["tenant-drop-preview", tenantId] as const,
};

/**
 * GET /api/tenants/{id}/drop-preview — what dropping the tenant's schema would remove (tables with
 * their rows, sequences, types, functions), what outside depends on it, and what stands in the way.
 * Read fresh each time the dialog opens: it counts rows on the tenant's database.
 */
export const tenantDropPreviewQuery = (tenantId: string) =>
  queryOptions({
    queryKey: tenantDropPreviewKeys.of(tenantId),
    queryFn: ({ signal }) => fetchJson<SchemaDropPreview>(`/api/tenants/${encodeURIComponent(tenantId)}/drop-preview`, { signal }),
    staleTime: 0,
    gcTime: 0,
  });

export function useTenantDropPreview(tenantId: string, enabled: boolean) {
  return useQuery({ ...tenantDropPreviewQuery(tenantId), enabled });
}
