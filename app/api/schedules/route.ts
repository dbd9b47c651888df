// GET /api/schedules — schedules with their next runs; POST /api/schedules — schedule a scope.
import { actorName } from "@/server/auth/principal";
import { createScheduleEndpoint, listSchedulesEndpoint } from "@/server/schedules/api";
import { createSchedule, listSchedules } from "@/server/schedules/service";
import { route } from "@/server/http/route";

export const GET = route(listSchedulesEndpoint, ({ query }) => listSchedules(query));

export const POST = route(createScheduleEndpoint, async ({ body, principal, audit }) => {
  const created = await createSchedule(body, actorName(principal));
  audit.resourceId = created.id;
  audit.details = { name: created.name, scope: created.scope, cron: created.cron, run_at: created.run_at };
  return created;
});
