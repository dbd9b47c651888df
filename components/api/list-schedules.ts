import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Schedule } from "@/server/schedules/schemas";
import { fetchJson } from "./fetch-json";

export type { Schedule };

export const scheduleKeys = { all: ["schedules"] as const };

/** GET /api/schedules — every schedule with its next runs (migrations:manage). */
export const schedulesQuery = () =>
  queryOptions({
    queryKey: scheduleKeys.all,
    queryFn: ({ signal }) => fetchJson<{ schedules: Schedule[]; total: number }>("/api/schedules?limit=200", { signal }),
    // Next runs move with the clock: a minute-old list still shows the right next firing.
    refetchInterval: 60_000,
  });

export function useSchedules() {
  return useQuery(schedulesQuery());
}
