import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionSummary } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { executionKeys } from "./list-executions";

/** POST /api/migrations/{id}/approve — a second person with migrations:manage lets it start. */
export function useApproveExecution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<ExecutionSummary>(`/api/migrations/${encodeURIComponent(id)}/approve`, { method: "POST" }),
    onSuccess: (_summary, id) => {
      void client.invalidateQueries({ queryKey: executionKeys.detail(id) });
      void client.invalidateQueries({ queryKey: executionKeys.lists });
    },
  });
}
