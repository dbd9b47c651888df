import { queryOptions, useQuery } from "@tanstack/react-query";
import type { ExecutionDetail } from "./execution-types";
import { fetchJson, toQuery } from "./fetch-json";
import { executionKeys } from "./list-executions";

/**
 * How many targets the execution page loads at once. Filtering, searching and sorting happen in
 * the browser over these; a larger execution pages through them.
 */
export const EXECUTION_TARGET_PAGE = 1000;

/**
 * GET /api/migrations/status/{id} — the execution, its progress and its targets (first page). Live
 * changes arrive over the event stream (useExecutionEvents), which writes into this query's data.
 */
export const executionQuery = (id: string, targetOffset = 0) =>
  queryOptions({
    queryKey: [...executionKeys.detail(id), targetOffset] as const,
    queryFn: ({ signal }) =>
      fetchJson<ExecutionDetail>(
        `/api/migrations/status/${encodeURIComponent(id)}${toQuery({ target_limit: EXECUTION_TARGET_PAGE, target_offset: targetOffset })}`,
        { signal },
      ),
    staleTime: 5_000,
  });

/**
 * `id` null: nothing to load yet (the query stays idle). `fresh`: read again whenever the component
 * mounts, even within staleTime — the execution page, which may come back to an execution a
 * rollback changed moments ago (an ended execution gets no live events).
 */
export function useExecution(id: string | null, targetOffset = 0, { fresh = false }: { fresh?: boolean } = {}) {
  return useQuery({ ...executionQuery(id ?? "", targetOffset), enabled: !!id, ...(fresh ? { refetchOnMount: "always" as const } : {}) });
}
