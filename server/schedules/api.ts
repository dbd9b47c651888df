import { defineEndpoint } from "../contracts/endpoint";
import { ZSchedule, ZScheduleCreate, ZScheduleIdParams, ZScheduleList, ZScheduleListQuery, ZScheduleUpdate } from "./schemas";

const tags = ["Schedules"];

export const listSchedulesEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/schedules",
  summary: "List schedules",
  description: "Schedules by name, a page at a time, with their next firing times (next_runs, up to 5) and last firing.",
  tags,
  access: "migrations:manage",
  query: ZScheduleListQuery,
  response: ZScheduleList,
});

export const createScheduleEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/schedules",
  summary: "Schedule a scope",
  description:
    "A scope (as in POST /api/migrations/execute) with either a cron expression (5 or 6 fields, read in `timezone`) or " +
    "a one-off run_at. At its time the schedule plans and executes its scope as `schedule:<name>` " +
    "(metadata.schedule_id); several console instances fire it once. Unknown region, tenant or database: 404.",
  tags,
  access: "migrations:manage",
  body: ZScheduleCreate,
  response: ZSchedule,
  status: 201,
  action: "schedules.create",
  resourceType: "schedule",
});

export const getScheduleEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/schedules/{id}",
  summary: "One schedule",
  tags,
  access: "migrations:manage",
  params: ZScheduleIdParams,
  response: ZSchedule,
});

export const updateScheduleEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/api/schedules/{id}",
  summary: "Change, enable or disable a schedule",
  description: "Disabling clears the next run; enabling or changing the timing computes it again from now.",
  tags,
  access: "migrations:manage",
  params: ZScheduleIdParams,
  body: ZScheduleUpdate,
  response: ZSchedule,
  action: "schedules.update",
  resourceType: "schedule",
});

export const deleteScheduleEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/api/schedules/{id}",
  summary: "Delete a schedule",
  description: "Executions it started stay (their metadata.schedule_id remains).",
  tags,
  access: "migrations:manage",
  params: ZScheduleIdParams,
  status: 204,
  action: "schedules.delete",
  resourceType: "schedule",
});
