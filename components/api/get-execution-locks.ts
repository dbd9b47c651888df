import { queryOptions, useQuery } from "@tanstack/react-query";
import type { ExecutionLocks } from "@/server/migrations/executions/lock-view-schemas";
import { fetchJson } from "./fetch-json";
import { executionKeys } from "./list-executions";

export type { ExecutionLocks };

/**
 * GET /api/migrations/{id}/locks — sampled only while the execution has running targets: once a
 * second, and four times a second while one of them waits for a lock.
 */
export const executionLocksQuery = (id: string) =>
  queryOptions({
    queryKey: [...executionKeys.detail(id), "locks"] as const,
    queryFn: ({ signal }) => fetchJson<ExecutionLocks>(`/api/migrations/${encodeURIComponent(id)}/locks`, { signal }),
    refetchInterval: (query) => (query.state.data?.targets.some((t) => t.waiting) ? 250 : 1_000),
    refetchIntervalInBackground: false,
  });

export function useExecutionLocks(id: string, running: boolean) {
  return useQuery({ ...executionLocksQuery(id), enabled: running });
}
