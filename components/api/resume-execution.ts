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
    // The page follows the resume over the event stream (execution_resumed queues the retried targets
    // again there); reading the execution now could land after newer events and show an older state.
    onSuccess: () => void client.invalidateQueries({ queryKey: executionKeys.lists }),
  });
}
