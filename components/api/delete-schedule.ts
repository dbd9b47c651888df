import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";
import { scheduleKeys } from "./list-schedules";

/** DELETE /api/schedules/{id} — executions it started stay. */
export function useDeleteSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<null>(`/api/schedules/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}
