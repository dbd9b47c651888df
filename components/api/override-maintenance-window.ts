import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { WindowOverrideResult } from "@/server/maintenance-windows/schemas";
import { fetchJson } from "./fetch-json";
import { executionKeys } from "./list-executions";

/** POST /api/migrations/{id}/window-override — an admin starts the execution's targets outside their windows, with a reason. */
export function useOverrideMaintenanceWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      fetchJson<WindowOverrideResult>(`/api/migrations/${encodeURIComponent(id)}/window-override`, { method: "POST", json: { reason } }),
    onSuccess: (_result, { id }) => {
      void client.invalidateQueries({ queryKey: executionKeys.detail(id) });
    },
  });
}
