import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { ExecutionKind, ExecutionStatus, Scope } from "@/server/domain/executions";
import type { ExecutionList } from "./execution-types";
import { fetchJson, toQuery } from "./fetch-json";

export interface ExecutionFilters {
  status?: ExecutionStatus;
  scope?: Scope;
  kind?: ExecutionKind;
  executed_by?: string;
  dry_run?: boolean;
  rollback_of?: string;
  retry_of?: string;
  limit: number;
  offset: number;
}

/** Every execution query starts with "executions": invalidating that refreshes lists and details. */
export const executionKeys = {
  all: ["executions"] as const,
  lists: ["executions", "list"] as const,
  list: (filters: ExecutionFilters) => ["executions", "list", filters] as const,
  detail: (id: string) => ["executions", "detail", id] as const,
};

/** GET /api/migrations — newest first, filtered. */
export const executionsQuery = (filters: ExecutionFilters) =>
  queryOptions({
    queryKey: executionKeys.list(filters),
    queryFn: ({ signal }) => fetchJson<ExecutionList>(`/api/migrations${toQuery({ ...filters })}`, { signal }),
    placeholderData: keepPreviousData,
  });

export function useExecutions(filters: ExecutionFilters, options: { refetchInterval?: number | false } = {}) {
  return useQuery({ ...executionsQuery(filters), ...options });
}
