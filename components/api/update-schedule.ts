import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Schedule } from "@/server/schedules/schemas";
import { fetchJson } from "./fetch-json";
import { scheduleKeys } from "./list-schedules";

export interface UpdateScheduleInput {
  id: string;
  changes: { enabled?: boolean; dry_run?: boolean; name?: string; cron?: string; timezone?: string; run_at?: string };
}

/** PATCH /api/schedules/{id} — enabling recomputes the next run from now; disabling clears it. */
export function useUpdateSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: UpdateScheduleInput) =>
      fetchJson<Schedule>(`/api/schedules/${encodeURIComponent(id)}`, { method: "PATCH", json: changes }),
    onSuccess: (updated) => {
      client.setQueryData<{ schedules: Schedule[]; total: number }>(scheduleKeys.all, (old) =>
        old ? { ...old, schedules: old.schedules.map((s) => (s.id === updated.id ? updated : s)) } : old,
      );
      void client.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}
