import { defineEndpoint } from "../contracts/endpoint";
import { ZWindow, ZWindowCreate, ZWindowIdParams, ZWindowList, ZWindowListQuery, ZWindowOverride, ZWindowOverrideResult, ZWindowUpdate } from "./schemas";

const tags = ["Maintenance windows"];

const RULES =
  "A window opens on each of its days at its local start time and stays open for its duration. A database with " +
  "windows of its own follows them alone; one without follows its region's; with neither, migrations start at any " +
  "time. Targets never start outside their window: they wait (`waiting for window`, with the next opening); one " +
  "already running when its window closes finishes its current migrations.";

export const listMaintenanceWindowsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/maintenance-windows",
  summary: "List maintenance windows",
  description: `${RULES} With \`database_id\`, \`applies\` says which windows apply to that database and whether it is open now.`,
  tags,
  access: "migrations:read",
  query: ZWindowListQuery,
  response: ZWindowList,
  errors: [404],
});

export const createMaintenanceWindowEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/maintenance-windows",
  summary: "Add a maintenance window to a database or a region",
  description: `${RULES} 422 naming the field for an unknown time zone, a bad start, a zero or too long duration, an unknown database or region, or a window overlapping another of the same database or region (or its own next opening).`,
  tags,
  access: "infrastructure:admin",
  body: ZWindowCreate,
  response: ZWindow,
  status: 201,
  action: "maintenance_windows.create",
  resourceType: "maintenance_window",
});

export const getMaintenanceWindowEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/maintenance-windows/{id}",
  summary: "One maintenance window",
  tags,
  access: "migrations:read",
  params: ZWindowIdParams,
  response: ZWindow,
});

export const updateMaintenanceWindowEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/api/maintenance-windows/{id}",
  summary: "Change a maintenance window",
  description: "Targets waiting for it look again within MAINTENANCE_WINDOW_RECHECK_MS (30 s by default).",
  tags,
  access: "infrastructure:admin",
  params: ZWindowIdParams,
  body: ZWindowUpdate,
  response: ZWindow,
  action: "maintenance_windows.update",
  resourceType: "maintenance_window",
});

export const deleteMaintenanceWindowEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/api/maintenance-windows/{id}",
  summary: "Delete a maintenance window",
  tags,
  access: "infrastructure:admin",
  params: ZWindowIdParams,
  status: 204,
  action: "maintenance_windows.delete",
  resourceType: "maintenance_window",
});

export const overrideMaintenanceWindowEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/{id}/window-override",
  summary: "Start an execution's targets outside their maintenance window",
  description:
    "An admin lets the execution's targets start at once whatever their windows say, with a reason (kept in " +
    "`metadata.window_override` and the audit log). Targets waiting for a window are queued now. 409 when the " +
    "execution has ended or was overridden already.",
  tags,
  access: "infrastructure:admin",
  params: ZWindowIdParams,
  body: ZWindowOverride,
  response: ZWindowOverrideResult,
  action: "migrations.window_override",
  resourceType: "execution",
});
