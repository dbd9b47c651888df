import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionSummary } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { executionKeys } from "./list-executions";

/** POST /api/migrations/{id}/resume — a halted rollout goes on; `retry_failed` runs the halted wave's failures again. */
export function useResumeExecution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, retryFailed }: { id: string; retryFailed: boolean }) =>
      fetchJson<ExecutionSummary>(`/api/migrations/${encodeURIComponent(id)}/resume`, {
        method: "POST",
        json: { retry_failed: retryFailed },
      }),
    onSuccess: (_summary, { id }) => {
      void client.invalidateQueries({ queryKey: executionKeys.detail(id) });
      void client.invalidateQueries({ queryKey: executionKeys.lists });
    },
  });
}
