import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Window, WindowCreate, WindowUpdate } from "@/server/maintenance-windows/schemas";
import { fetchJson } from "./fetch-json";
import { maintenanceWindowKeys } from "./list-maintenance-windows";

export type CreateMaintenanceWindowInput = Omit<WindowCreate, "timezone"> & { timezone: string };

/** POST /api/maintenance-windows — a 422 names the bad field (time zone, start, duration, an overlap on `start`). */
export function useCreateMaintenanceWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateMaintenanceWindowInput) => fetchJson<Window>("/api/maintenance-windows", { method: "POST", json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: maintenanceWindowKeys.all }),
  });
}

/** PATCH /api/maintenance-windows/{id}. */
export function useUpdateMaintenanceWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: WindowUpdate & { id: string }) =>
      fetchJson<Window>(`/api/maintenance-windows/${encodeURIComponent(id)}`, { method: "PATCH", json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: maintenanceWindowKeys.all }),
  });
}

/** DELETE /api/maintenance-windows/{id}. */
export function useDeleteMaintenanceWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<null>(`/api/maintenance-windows/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: maintenanceWindowKeys.all }),
  });
}
