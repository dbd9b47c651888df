import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecuteRequest, ExecutionDetail } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { planKeys } from "./get-plan";
import { executionKeys } from "./list-executions";

export type ExecuteInput = Omit<ExecuteRequest, "dry_run"> & { dry_run: boolean };

/**
 * POST /api/migrations/execute — starts (or, with dry_run, rehearses) a scope pinned to the
 * fingerprint the operator reviewed. A changed plan is a 409 plan_changed saying what changed.
 */
export async function executeMigrations(input: ExecuteInput): Promise<ExecutionDetail> {
  return fetchJson<ExecutionDetail>("/api/migrations/execute", { method: "POST", json: input });
}

export function useExecuteMigrations() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: executeMigrations,
    onSuccess: (execution, input) => {
      client.setQueryData([...executionKeys.detail(execution.id), 0], execution);
      void client.invalidateQueries({ queryKey: executionKeys.lists });
      // A real execution changes what is pending; a rehearsal changes nothing.
      if (!input.dry_run) void client.invalidateQueries({ queryKey: planKeys.all });
    },
  });
}
