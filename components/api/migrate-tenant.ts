import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionDetail } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { planKeys } from "./get-plan";
import { tenantMigrationKeys } from "./get-tenant-migrations";
import { executionKeys } from "./list-executions";

/** POST /api/tenants/{id}/migrate — one tenant, pinned to the fingerprint its migrations panel showed. */
export function useMigrateTenant(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { dry_run: boolean; plan_fingerprint?: string }) =>
      fetchJson<ExecutionDetail>(`/api/tenants/${encodeURIComponent(tenantId)}/migrate`, { method: "POST", json: input }),
    onSuccess: (execution, input) => {
      client.setQueryData([...executionKeys.detail(execution.id), 0], execution);
      void client.invalidateQueries({ queryKey: executionKeys.lists });
      if (!input.dry_run) {
        void client.invalidateQueries({ queryKey: tenantMigrationKeys.of(tenantId) });
        void client.invalidateQueries({ queryKey: planKeys.all });
      }
    },
  });
}
