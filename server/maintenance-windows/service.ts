import { getDb } from "../db/client";
import {
  describeWindow,
  effectiveWindows,
  findOverlap,
  windowState,
  type Weekday,
  type WeeklyWindow,
  type WindowState,
} from "../domain/maintenance-windows";
import { AppError, notFound } from "../errors/app-error";
import * as repo from "./repository";
import type { Window, WindowCreate, WindowList, WindowStateView, WindowUpdate } from "./schemas";

/**
 * Maintenance windows: weekly periods per database or per region when migrations may start there.
 * A database with windows of its own follows them alone; one without follows its region's; with
 * neither, migrations start at any time. The windows of one database (or one region) may not
 * overlap each other or their own next opening. The worker's gate (server/migrations/executions/
 * window-gate.ts) reads them when a target is about to start.
 */

export async function createWindow(input: WindowCreate, actor: string): Promise<Window> {
  const subject = await subjectOf(input);
  const candidate = { days: input.days, start: input.start, durationMinutes: input.duration_minutes, timezone: input.timezone };
  await refuseOverlap(subject, candidate);
  const row = await repo.insertWindow(getDb(), {
    connectionId: subject.connectionId,
    region: subject.region,
    days: [...input.days],
    startTime: input.start,
    durationMinutes: input.duration_minutes,
    timezone: input.timezone,
    label: input.label || null,
    createdBy: actor,
    updatedBy: actor,
  });
  return windowView(row);
}

export async function updateWindow(id: string, input: WindowUpdate, actor: string): Promise<Window> {
  const current = await rowOrThrow(id);
  const next = {
    days: input.days ?? (current.days as Weekday[]),
    start: input.start ?? current.startTime,
    durationMinutes: input.duration_minutes ?? current.durationMinutes,
    timezone: input.timezone ?? current.timezone,
  };
  await refuseOverlap({ connectionId: current.connectionId, region: current.region }, next, id);
  const row = await repo.updateWindow(getDb(), id, {
    days: [...next.days],
    startTime: next.start,
    durationMinutes: next.durationMinutes,
    timezone: next.timezone,
    ...(input.label !== undefined ? { label: input.label || null } : {}),
    updatedBy: actor,
  });
  if (!row) throw notFound("maintenance window", id);
  return windowView(row);
}

export async function deleteWindow(id: string): Promise<Window> {
  const row = await repo.deleteWindow(getDb(), id);
  if (!row) throw notFound("maintenance window", id);
  return windowView(row);
}

export async function getWindowOrThrow(id: string): Promise<Window> {
  return windowView(await rowOrThrow(id));
}

export async function listWindows(filter: { database_id?: string; region?: string; limit: number; offset: number }): Promise<WindowList> {
  const db = getDb();
  const { rows, total } = await repo.listWindows(db, { connectionId: filter.database_id, region: filter.region, limit: filter.limit, offset: filter.offset });
  const page = { total, limit: filter.limit, offset: filter.offset };
  if (!filter.database_id) return { windows: rows.map((r) => windowView(r)), ...page, applies: null };
  const database = await repo.findDatabase(db, filter.database_id);
  if (!database) throw notFound("database", filter.database_id);
  const all = await repo.windowsFor(db, [database.id], database.region ? [database.region] : []);
  const applying = effectiveWindows(all, { connectionId: database.id, region: database.region });
  const now = new Date();
  return {
    windows: rows.map((r) => windowView(r, now)),
    ...page,
    applies: {
      source: applying.source,
      region: database.region,
      windows: applying.windows.map((r) => windowView(r, now)),
      state: stateView(windowState(applying.windows.map(asWeekly), now)),
    },
  };
}

export const asWeekly = (row: repo.WindowRow): WeeklyWindow & { id: string } => ({
  id: row.id,
  days: row.days as Weekday[],
  start: row.startTime,
  durationMinutes: row.durationMinutes,
  timezone: row.timezone,
});

export function stateView(state: WindowState): WindowStateView {
  return {
    restricted: state.restricted,
    open: state.open,
    opens_at: !state.open && state.opensAt ? state.opensAt.toISOString() : null,
    closes_at: state.restricted && state.open ? state.closesAt.toISOString() : null,
  };
}

export function windowView(row: repo.WindowRow, now = new Date()): Window {
  const weekly = asWeekly(row);
  return {
    id: row.id,
    database_id: row.connectionId,
    region: row.region,
    days: weekly.days.slice(),
    start: row.startTime,
    duration_minutes: row.durationMinutes,
    timezone: row.timezone,
    label: row.label,
    description: describeWindow(weekly),
    state: stateView(windowState([weekly], now)),
    created_by: row.createdBy,
    updated_by: row.updatedBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

async function rowOrThrow(id: string): Promise<repo.WindowRow> {
  const row = await repo.findWindow(getDb(), id);
  if (!row) throw notFound("maintenance window", id);
  return row;
}

async function subjectOf(input: WindowCreate): Promise<{ connectionId: string | null; region: string | null }> {
  if (input.database_id) {
    const database = await repo.findDatabase(getDb(), input.database_id);
    if (!database) throw fieldError("database_id", `no registered database has id ${input.database_id}`);
    return { connectionId: database.id, region: null };
  }
  const region = input.region!;
  if (!(await repo.regionExists(getDb(), region))) throw fieldError("region", `no registered database is in region ${region}`);
  return { connectionId: null, region };
}

/** 422 naming the field when the window overlaps its own next opening or another window of its database or region. */
async function refuseOverlap(subject: { connectionId: string | null; region: string | null }, candidate: WeeklyWindow, exceptId?: string) {
  const self = "(this window)";
  const overlap = findOverlap([{ id: self, ...candidate }], new Date());
  if (overlap) {
    throw fieldError(
      "duration_minutes",
      `${describeWindow(candidate)} overlaps its own next opening (${overlap.at.toISOString()}): make it shorter than the gap between its days`,
    );
  }
  const others = await repo.siblingWindows(getDb(), subject, exceptId);
  if (others.length === 0) return;
  const clash = findOverlap([{ id: self, ...candidate }, ...others.map(asWeekly)], new Date());
  if (!clash) return;
  const otherId = clash.a === self ? clash.b : clash.a;
  const other = others.find((o) => o.id === otherId);
  const whose = subject.connectionId ? "this database" : `region ${subject.region}`;
  throw fieldError(
    "start",
    `overlaps window ${other ? `"${other.label ?? describeWindow(asWeekly(other))}" (${otherId})` : otherId} of ${whose} at ${clash.at.toISOString()}: windows of one database or region must not overlap`,
  );
}

const fieldError = (field: string, message: string) =>
  new AppError("validation_error", message, { location: "body", fields: [{ field, message, code: "custom" }] });

/** Whether migrations may start on this database now: its own windows, else its region's (the worker's gate). */
export async function windowStateFor(target: { connectionId: string; region: string | null }, at = new Date()) {
  const all = await repo.windowsFor(getDb(), [target.connectionId], target.region ? [target.region] : []);
  const applying = effectiveWindows(all, target);
  return { source: applying.source, state: windowState(applying.windows.map(asWeekly), at) };
}
