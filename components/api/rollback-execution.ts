import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ExecutionDetail } from "./execution-types";
import { fetchJson } from "./fetch-json";
import { rollbackPlanKeys } from "./get-rollback-plan";
import { planKeys } from "./get-plan";
import { tenantMigrationKeys } from "./get-tenant-migrations";
import { executionKeys } from "./list-executions";

export interface RollbackInput {
  execution_id: string;
  /** Only these targets of the execution (default: all of them). */
  target_ids?: string[];
  /** Rehearse: the down parts run in a transaction that is rolled back. */
  dry_run?: boolean;
}

/**
 * POST /api/migrations/rollback — a new execution that runs the down parts of exactly what the
 * original applied (and no rollback undid yet), or a rehearsal of that with dry_run.
 */
export function useRollbackExecution() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: RollbackInput) => fetchJson<ExecutionDetail>("/api/migrations/rollback", { method: "POST", json: input }),
    onSuccess: (rollback, input) => {
      client.setQueryData([...executionKeys.detail(rollback.id), 0], rollback);
      void client.invalidateQueries({ queryKey: executionKeys.detail(input.execution_id) });
      void client.invalidateQueries({ queryKey: executionKeys.lists });
      if (!input.dry_run) {
        void client.invalidateQueries({ queryKey: rollbackPlanKeys.all });
        void client.invalidateQueries({ queryKey: planKeys.all });
        void client.invalidateQueries({ queryKey: tenantMigrationKeys.all });
      }
    },
  });
}
