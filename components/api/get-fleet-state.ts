import { queryOptions, useQuery } from "@tanstack/react-query";
import type { FleetStateView } from "@/server/migrations/plans/fleet-state-schemas";
import { fetchJson, toQuery } from "./fetch-json";

export const fleetStateKeys = {
  all: ["fleet-state"] as const,
  of: (connectionId: string | null) => ["fleet-state", connectionId ?? "fleet"] as const,
};

/**
 * GET /api/migrations/fleet-state — targets per tier and region at head, behind, blocked, failed
 * last run (the whole fleet, or one database's). Read from the fleet state store: no plan is built.
 */
export const fleetStateQuery = (connectionId: string | null = null) =>
  queryOptions({
    queryKey: fleetStateKeys.of(connectionId),
    queryFn: ({ signal }) =>
      fetchJson<FleetStateView>(`/api/migrations/fleet-state${toQuery({ connection_id: connectionId ?? undefined })}`, { signal }),
    staleTime: 10_000,
  });

export function useFleetState(connectionId: string | null = null, enabled = true) {
  return useQuery({ ...fleetStateQuery(connectionId), enabled });
}
