import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
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
 */
export const planQuery = (request: PlanRequest) =>
  queryOptions({
    queryKey: planKeys.of(request),
    queryFn: ({ signal }) => fetchJson<Plan>(`/api/migrations/dynamic/plan${toQuery({ ...request })}`, { signal }),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

export function usePlan(request: PlanRequest | null) {
  return useQuery({ ...planQuery(request ?? { scope: "all" }), enabled: request !== null });
}
