import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Schedule } from "@/server/schedules/schemas";
import { fetchJson } from "./fetch-json";
import { scheduleKeys } from "./list-schedules";
import type { ScopeRequest } from "./scope-request";

export type CreateScheduleInput = ScopeRequest & {
  name: string;
  cron?: string;
  timezone?: string;
  run_at?: string;
  enabled: boolean;
  dry_run: boolean;
};

/** POST /api/schedules — a 422 names each bad field (ApiError.fieldErrors). */
export function useCreateSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateScheduleInput) => fetchJson<Schedule>("/api/schedules", { method: "POST", json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}
