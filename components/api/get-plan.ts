import { keepPreviousData, queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PlanView } from "@/server/migrations/plans/plan-schemas";
import { fetchJson, toQuery } from "./fetch-json";
import type { ScopeRequest } from "./scope-request";

export type Plan = PlanView;
export type PlanTarget = PlanView["targets"][number];
export type PlanTargetStatus = PlanTarget["status"];

export interface PlanRequest extends ScopeRequest {
  status?: PlanTargetStatus;
  limit?: number;
  offset?: number;
}

export const planKeys = {
  all: ["plan"] as const,
  of: (request: PlanRequest) => ["plan", request] as const,
};

/**
 * GET /api/migrations/dynamic/plan — the scope's targets, their pending migrations, drift and
 * warnings, and the fingerprint to pin when executing. Reading every target's history is real work
 * on the fleet, so a plan is only fetched again on request (or after an execution changes it).
 * `kept` names the plan on screen: a page or status not fetched yet is read from that plan, which
 * the console keeps, instead of planning the fleet again; a refresh plans anew.
 */
export const planQuery = (request: PlanRequest, kept: () => string | null = () => null) =>
  queryOptions({
    queryKey: planKeys.of(request),
    queryFn: ({ signal }) => {
      const fingerprint = kept();
      return fetchJson<Plan>(`/api/migrations/dynamic/plan${toQuery({ ...request, ...(fingerprint ? { fingerprint } : {}) })}`, { signal });
    },
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

/** The plan of `request`; `shown` is the fingerprint of the plan on screen, whose other pages are kept. */
export function usePlan(request: PlanRequest | null, shown: () => string | null = () => null) {
  const client = useQueryClient();
  const effective = request ?? { scope: "all" };
  // Only a first fetch of this page reads the kept plan; a refetch (refresh, after an execution) plans again.
  const kept = () => (client.getQueryData(planKeys.of(effective)) ? null : shown());
  return useQuery({ ...planQuery(effective, kept), enabled: request !== null });
}
