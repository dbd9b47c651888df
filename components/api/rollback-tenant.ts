import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionDetail } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { rollbackPlanKeys } from "./get-rollback-plan";
import { planKeys } from "./get-plan";
import { tenantMigrationKeys } from "./get-tenant-migrations";
import { executionKeys } from "./list-executions";

/** POST /api/tenants/{id}/rollback — undo (or rehearse undoing) what the tenant applied after a version. */
export function useRollbackTenant(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { to_version: string; dry_run: boolean }) =>
      fetchJson<ExecutionDetail>(`/api/tenants/${encodeURIComponent(tenantId)}/rollback`, { method: "POST", json: input }),
    onSuccess: (execution, input) => {
      client.setQueryData([...executionKeys.detail(execution.id), 0], execution);
      void client.invalidateQueries({ queryKey: executionKeys.lists });
      if (!input.dry_run) {
        void client.invalidateQueries({ queryKey: tenantMigrationKeys.of(tenantId) });
        void client.invalidateQueries({ queryKey: rollbackPlanKeys.all });
        void client.invalidateQueries({ queryKey: planKeys.all });
      }
    },
  });
}
