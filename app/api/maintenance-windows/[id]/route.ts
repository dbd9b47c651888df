// GET, PATCH, DELETE /api/maintenance-windows/{id} — one maintenance window: read, change, delete.
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";
import {
  deleteMaintenanceWindowEndpoint,
  getMaintenanceWindowEndpoint,
  updateMaintenanceWindowEndpoint,
} from "@/server/maintenance-windows/api";
import { deleteWindow, getWindowOrThrow, updateWindow } from "@/server/maintenance-windows/service";

export const GET = route(getMaintenanceWindowEndpoint, ({ params }) => getWindowOrThrow(params.id));

export const PATCH = route(updateMaintenanceWindowEndpoint, async ({ params, body, principal, audit }) => {
  const before = await getWindowOrThrow(params.id);
  const after = await updateWindow(params.id, body, actorName(principal));
  audit.details = { database_id: after.database_id, region: after.region, before: before.description, after: after.description };
  return after;
});

export const DELETE = route(deleteMaintenanceWindowEndpoint, async ({ params, audit }) => {
  const deleted = await deleteWindow(params.id);
  audit.details = { database_id: deleted.database_id, region: deleted.region, window: deleted.description };
  return new Response(null, { status: 204 });
});
