import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionDetail } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { planKeys } from "./get-plan";
import { executionKeys } from "./list-executions";

/**
 * POST /api/migrations/rollback — a new execution that runs the down parts of exactly what the
 * original applied; the original becomes rolled_back when it completes.
 */
export function useRollbackExecution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (executionId: string) =>
      fetchJson<ExecutionDetail>("/api/migrations/rollback", { method: "POST", json: { execution_id: executionId } }),
    onSuccess: (rollback, executionId) => {
      client.setQueryData([...executionKeys.detail(rollback.id), 0], rollback);
      void client.invalidateQueries({ queryKey: executionKeys.detail(executionId) });
      void client.invalidateQueries({ queryKey: executionKeys.lists });
      void client.invalidateQueries({ queryKey: planKeys.all });
    },
  });
}
