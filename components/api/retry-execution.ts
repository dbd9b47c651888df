import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionDetail } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { planKeys } from "./get-plan";
import { tenantMigrationKeys } from "./get-tenant-migrations";
import { executionKeys } from "./list-executions";

/** POST /api/migrations/{id}/retry — the failed, skipped and never-started targets again, planned fresh. */
export function useRetryExecution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (executionId: string) =>
      fetchJson<ExecutionDetail>(`/api/migrations/${encodeURIComponent(executionId)}/retry`, { method: "POST" }),
    onSuccess: (retry, executionId) => {
      client.setQueryData([...executionKeys.detail(retry.id), 0], retry);
      void client.invalidateQueries({ queryKey: executionKeys.detail(executionId) });
      void client.invalidateQueries({ queryKey: executionKeys.lists });
      void client.invalidateQueries({ queryKey: planKeys.all });
      void client.invalidateQueries({ queryKey: tenantMigrationKeys.all });
    },
  });
}
