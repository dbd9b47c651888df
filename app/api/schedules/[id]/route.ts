// GET, PATCH, DELETE /api/schedules/{id} — one schedule: read, change (enable/disable), delete.
import { actorName } from "@/server/auth/principal";
import { deleteScheduleEndpoint, getScheduleEndpoint, updateScheduleEndpoint } from "@/server/schedules/api";
import { deleteSchedule, getScheduleOrThrow, updateSchedule } from "@/server/schedules/service";
import { route } from "@/server/http/route";

export const GET = route(getScheduleEndpoint, ({ params }) => getScheduleOrThrow(params.id));

export const PATCH = route(updateScheduleEndpoint, ({ params, body, principal, audit }) => {
  audit.details = { fields: Object.keys(body) };
  return updateSchedule(params.id, body, actorName(principal));
});

export const DELETE = route(deleteScheduleEndpoint, async ({ params }) => {
  await deleteSchedule(params.id);
  return new Response(null, { status: 204 });
});
