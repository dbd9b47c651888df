import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionSummary } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { executionKeys } from "./list-executions";

/** POST /api/migrations/{id}/cancel — queued targets are skipped, running ones finish their migration. */
export function useCancelExecution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<ExecutionSummary>(`/api/migrations/${encodeURIComponent(id)}/cancel`, { method: "POST" }),
    onSuccess: (_summary, id) => {
      void client.invalidateQueries({ queryKey: executionKeys.detail(id) });
      void client.invalidateQueries({ queryKey: executionKeys.lists });
    },
  });
}
