import { keepPreviousData, queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ExecutionKind, ExecutionStatus, Scope } from "@/server/domain/executions";
import { isFinished, type ExecutionList } from "./execution-types";
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

/**
 * The rollbacks and retries of one execution (its page links them). While one of them is still
 * going they are read again every two seconds, and when the last one ends the execution itself is
 * read again: a rollback that completes turns its original `rolled_back`, which no event of the
 * original's (long ended) stream announces. Read afresh whenever the page mounts, since a rollback
 * may have started and ended while another page was open.
 */
export function useLinkedExecutions(id: string, enabled: boolean) {
  const queryClient = useQueryClient();
  const poll = (data: ExecutionList | undefined) => (data?.executions.some((e) => !isFinished(e.status)) ? 2_000 : false);
  const common = { enabled, refetchOnMount: "always" as const };
  const rollbacks = useQuery({
    ...executionsQuery({ kind: "rollback", rollback_of: id, dry_run: false, limit: 5, offset: 0 }),
    ...common,
    refetchInterval: (query) => poll(query.state.data),
  });
  const retries = useQuery({
    ...executionsQuery({ kind: "migrate", retry_of: id, limit: 5, offset: 0 }),
    ...common,
    refetchInterval: (query) => poll(query.state.data),
  });
  const active = [rollbacks.data, retries.data].some((d) => poll(d) !== false);
  const wasActive = useRef(false);
  useEffect(() => {
    if (wasActive.current && !active) void queryClient.invalidateQueries({ queryKey: executionKeys.detail(id) });
    wasActive.current = active;
  }, [active, id, queryClient]);
  return { rollbacks, retries };
}
