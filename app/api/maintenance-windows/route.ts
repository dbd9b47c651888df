// GET /api/maintenance-windows — windows of databases and regions; POST — add one.
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";
import { createMaintenanceWindowEndpoint, listMaintenanceWindowsEndpoint } from "@/server/maintenance-windows/api";
import { createWindow, listWindows } from "@/server/maintenance-windows/service";

export const GET = route(listMaintenanceWindowsEndpoint, ({ query }) => listWindows(query));

export const POST = route(createMaintenanceWindowEndpoint, async ({ body, principal, audit }) => {
  const created = await createWindow(body, actorName(principal));
  audit.resourceId = created.id;
  audit.details = { database_id: created.database_id, region: created.region, window: created.description };
  return created;
});
