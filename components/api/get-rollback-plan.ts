import { queryOptions, useQuery } from "@tanstack/react-query";
import type { RollbackPlanView } from "@/server/migrations/executions/rollback-schemas";
import { fetchJson, toQuery } from "./fetch-json";

export type RollbackPlan = RollbackPlanView;

/** What to roll back: an execution (all or some of its targets), or one target to a version. */
export type RollbackSource =
  | { execution_id: string; target_ids?: string[] }
  | { database_id: string; tenant_id?: string; schema_name?: string; to_version: string };

export const rollbackPlanKeys = {
  all: ["rollback-plan"] as const,
  of: (source: RollbackSource) => ["rollback-plan", source] as const,
};

/** GET /api/migrations/rollback/plan — per target what a rollback undoes, and what would refuse it. */
export const rollbackPlanQuery = (source: RollbackSource) =>
  queryOptions({
    queryKey: rollbackPlanKeys.of(source),
    queryFn: ({ signal }) => fetchJson<RollbackPlan>(`/api/migrations/rollback/plan${toQuery({ ...source })}`, { signal }),
    staleTime: 5_000,
    retry: false,
  });

/** Fetched only while `enabled` (a dialog that is open). */
export function useRollbackPlan(source: RollbackSource, enabled: boolean) {
  return useQuery({ ...rollbackPlanQuery(source), enabled });
}
