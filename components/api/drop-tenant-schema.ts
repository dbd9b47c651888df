import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { SchemaDropResult } from "@/server/tenants/schemas";
import { fetchJson } from "./fetch-json";
import { tenantDropPreviewKeys } from "./get-tenant-drop-preview";
import { tenantMigrationKeys } from "./get-tenant-migrations";
import { planKeys } from "./get-plan";

/**
 * DELETE /api/tenants/{id}/schema — drops the tenant's schema (infrastructure:admin); `confirm` is
 * the schema's name as the operator typed it, compared again by the server (422 naming confirm).
 */
export function useDropTenantSchema(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { confirm: string }) =>
      fetchJson<SchemaDropResult>(`/api/tenants/${encodeURIComponent(tenantId)}/schema`, { method: "DELETE", json: input }),
    onSuccess: () => {
      client.removeQueries({ queryKey: tenantDropPreviewKeys.of(tenantId) });
      void client.invalidateQueries({ queryKey: tenantMigrationKeys.of(tenantId) });
      void client.invalidateQueries({ queryKey: planKeys.all });
    },
  });
}
