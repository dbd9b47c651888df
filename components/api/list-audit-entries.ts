import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import type { AuditEntry } from "@/server/audit/schemas";
import { fetchJson, toQuery } from "./fetch-json";

export type { AuditEntry };

export interface AuditFilters {
  actor?: string;
  action?: string;
  resource_type?: string;
  outcome?: "success" | "error";
}

interface AuditPage {
  entries: AuditEntry[];
  next_before_id: number | null;
}

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: AuditFilters) => ["audit", filters] as const,
};

/** GET /api/audit — newest first; each further page is older than the last entry shown. */
export const auditEntriesQuery = (filters: AuditFilters, pageSize = 50) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      fetchJson<AuditPage>(`/api/audit${toQuery({ ...filters, limit: pageSize, before_id: pageParam })}`, { signal }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before_id ?? undefined,
  });

export function useAuditEntries(filters: AuditFilters) {
  return useInfiniteQuery(auditEntriesQuery(filters));
}
