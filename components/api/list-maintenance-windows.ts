import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Window, WindowList } from "@/server/maintenance-windows/schemas";
import { fetchJson } from "./fetch-json";

export type { Window as MaintenanceWindow, WindowList as MaintenanceWindowList };

export const maintenanceWindowKeys = {
  all: ["maintenance-windows"] as const,
  of: (subject: { databaseId?: string; region?: string }) => ["maintenance-windows", subject.databaseId ?? null, subject.region ?? null] as const,
};

/**
 * GET /api/maintenance-windows — a database's own windows and the ones that apply to it (its own,
 * else its region's), or a region's windows. Read again every minute: "open now" moves with time.
 */
export const maintenanceWindowsQuery = (subject: { databaseId?: string; region?: string }) =>
  queryOptions({
    queryKey: maintenanceWindowKeys.of(subject),
    queryFn: ({ signal }) => {
      const query = new URLSearchParams();
      if (subject.databaseId) query.set("database_id", subject.databaseId);
      if (subject.region) query.set("region", subject.region);
      return fetchJson<WindowList>(`/api/maintenance-windows?${query}`, { signal });
    },
    refetchInterval: 60_000,
  });

export function useMaintenanceWindows(subject: { databaseId?: string; region?: string }) {
  return useQuery(maintenanceWindowsQuery(subject));
}
