import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as windowRoute from "../../app/api/maintenance-windows/[id]/route";
import * as windowsRoute from "../../app/api/maintenance-windows/route";
import * as overrideRoute from "../../app/api/migrations/[id]/window-override/route";
import * as schedulesRoute from "../../app/api/schedules/route";
import { getDb } from "../../server/db/client";
import { auditLog, executions, schedules } from "../../server/db/schema";
import { WEEKDAYS } from "../../server/domain/maintenance-windows";
import { fireDueSchedules } from "../../server/schedules/service";
import { call } from "../support/api-call";
import { waitFor } from "../support/test-env";
import { allEvents, executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/**
 * Maintenance windows (issue 14, item 2): targets never start outside their window, wait visibly
 * with the next opening, start when it opens, or at once when an admin overrides with a reason.
 * Each test holds the window closed itself (an opening hours away) and opens it when it chooses.
 */

let env: ExecutionEnv;
let catalogDir: string;

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "windows-catalog-"));
  mkdirSync(path.join(catalogDir, "shared"));
  mkdirSync(path.join(catalogDir, "tenant"));
  writeFileSync(path.join(catalogDir, "shared/0001_rates.sql"), "-- migrate:up\nCREATE TABLE rates (code text PRIMARY KEY);\n");
  writeFileSync(path.join(catalogDir, "tenant/0001_orders.sql"), "-- migrate:up\nCREATE TABLE orders (id int PRIMARY KEY);\n");
  env = await startExecutionEnv({
    regions: ["eu", "us", "ap", "sa", "af", "me"],
    tenantsPerRegion: 2,
    catalogDir,
    prefix: "mwin",
    env: { MAINTENANCE_WINDOW_RECHECK_MS: "300" },
  });
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const createWindow = (body: Record<string, unknown>, token = env.tokens.admin) =>
  call(windowsRoute.POST, "POST", "/api/maintenance-windows", { token, body });
const listWindows = (query: Record<string, string>, token = env.tokens.viewer) =>
  call(windowsRoute.GET, "GET", "/api/maintenance-windows", { token, query });
const patchWindow = (id: string, body: Record<string, unknown>, token = env.tokens.admin) =>
  call(windowRoute.PATCH, "PATCH", `/api/maintenance-windows/${id}`, { token, params: { id }, body });
const deleteWindow = (id: string, token = env.tokens.admin) =>
  call(windowRoute.DELETE, "DELETE", `/api/maintenance-windows/${id}`, { token, params: { id } });
const override = (id: string, body: Record<string, unknown>, token = env.tokens.admin) =>
  call(overrideRoute.POST, "POST", `/api/migrations/${id}/window-override`, { token, params: { id }, body });

/** A one-day window opening at `at` (whole seconds), read in UTC. */
function windowAt(at: Date, durationMinutes = 60) {
  const hms = at.toISOString().slice(11, 19);
  return { days: [WEEKDAYS[at.getUTCDay()]], start: hms, duration_minutes: durationMinutes, timezone: "UTC" };
}
const wholeSecondsFromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
async function waitUntilWaiting(id: string, count: number): Promise<any> {
  return waitFor(
    `${count} targets of ${id} waiting for their window`,
    async () => {
      const res = await status(env.tokens.viewer, id);
      return res.json?.maintenance_window?.waiting_targets === count ? res.json : undefined;
    },
    30_000,
    100,
  );
}

describe("targets wait for their maintenance window", () => {
  it("a closed window holds every target, visibly with the next opening, and they start when it opens", async () => {
    const shared = env.fleet.shared.eu!;
    const later = wholeSecondsFromNow(3 * 3_600_000);
    const created = await createWindow({ database_id: shared.id, ...windowAt(later), label: "night" });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ database_id: shared.id, region: null, label: "night", state: { restricted: true, open: false } });

    const listed = await listWindows({ database_id: shared.id });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.applies).toMatchObject({ source: "database", state: { open: false, opens_at: later.toISOString() } });

    const id = await executeOrThrow(env.tokens.operator, { scope: "regional", region: "eu" });
    const waiting = await waitUntilWaiting(id, 3);
    expect(waiting.status).toBe("in_progress");
    expect(waiting.maintenance_window).toMatchObject({ waiting_targets: 3, opens_at: later.toISOString(), override: null });
    for (const t of waiting.targets) {
      expect(t).toMatchObject({ status: "pending", attempts: 0, started_at: null, waiting_for_window: { opens_at: later.toISOString() } });
    }
    const waitEvents = (await allEvents(id)).filter((e) => e.type === "target_waiting");
    expect(waitEvents).toHaveLength(3);
    expect(waitEvents[0]!.payload.window).toEqual({ opens_at: later.toISOString(), source: "database" });

    // The test opens the window a few seconds from now: nothing starts before that instant.
    const opening = wholeSecondsFromNow(2_500);
    const moved = await patchWindow(created.json.id, windowAt(opening, 10));
    expect(moved.status, moved.text).toBe(200);
    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status).toBe("completed");
    expect(done.maintenance_window).toMatchObject({ waiting_targets: 0 });
    for (const t of done.targets) {
      expect(t.status).toBe("succeeded");
      expect(t.waiting_for_window).toBeNull();
      expect(Date.parse(t.started_at)).toBeGreaterThanOrEqual(opening.getTime());
    }
    expect((await deleteWindow(created.json.id)).status).toBe(204);
  });

  it("a region's window holds its databases without windows of their own; a database's own window takes precedence", async () => {
    const later = wholeSecondsFromNow(5 * 3_600_000);
    const regional = await createWindow({ region: "us", ...windowAt(later) });
    expect(regional.status, regional.text).toBe(201);
    const sharedUs = env.fleet.shared.us!;
    expect((await listWindows({ database_id: sharedUs.id })).json.applies).toMatchObject({ source: "region", region: "us", state: { open: false } });

    const id = await executeOrThrow(env.tokens.operator, { scope: "regional", region: "us" });
    const waiting = await waitUntilWaiting(id, 3);
    expect(waiting.maintenance_window.opens_at).toBe(later.toISOString());

    // The database's own window (open all week) replaces the region's: its targets start.
    const own = await createWindow({ database_id: sharedUs.id, days: [...WEEKDAYS], start: "00:00", duration_minutes: 1440, timezone: "Europe/Berlin" });
    expect(own.status, own.text).toBe(201);
    expect((await listWindows({ database_id: sharedUs.id })).json.applies).toMatchObject({ source: "database", state: { open: true } });
    expect((await waitForEnd(env.tokens.viewer, id, 60_000)).status).toBe("completed");
    await deleteWindow(own.json.id);
    await deleteWindow(regional.json.id);
  });

  it("an admin's override with a reason starts waiting targets at once, and is kept on the execution and in the audit log", async () => {
    const later = wholeSecondsFromNow(7 * 3_600_000);
    const window = await createWindow({ region: "ap", ...windowAt(later) });
    expect(window.status, window.text).toBe(201);
    const id = await executeOrThrow(env.tokens.operator, { scope: "regional", region: "ap" });
    await waitUntilWaiting(id, 3);

    const refused = await override(id, { reason: "hotfix" }, env.tokens.operator);
    expect(refused.status).toBe(403);
    const noReason = await override(id, {});
    expect(noReason.status).toBe(422);
    expect(noReason.json.details.fields[0].field).toBe("reason");

    const res = await override(id, { reason: "hotfix for incident 42" });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ execution_id: id, reason: "hotfix for incident 42", targets_released: 3 });
    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status).toBe("completed");
    expect(done.metadata.window_override).toMatchObject({ reason: "hotfix for incident 42" });
    expect(done.maintenance_window.override).toMatchObject({ reason: "hotfix for incident 42" });
    expect((await allEvents(id)).some((e) => e.type === "window_overridden" && e.payload.targets_released === 3)).toBe(true);
    const [audited] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "migrations.window_override"), eq(auditLog.resourceId, id)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(audited).toMatchObject({ outcome: "success", details: expect.objectContaining({ reason: "hotfix for incident 42" }) });
    expect((await override(id, { reason: "again" })).status).toBe(409);
    await deleteWindow(window.json.id);
  });
});

describe("waved rollouts and windows", () => {
  it("the next wave respects its own databases' windows: it waits after the previous wave finished, and starts when its window opens", async () => {
    const canary = env.fleet.tenants.find((t) => t.region === "af")!;
    const later = env.fleet.tenants.find((t) => t.region === "me")!;
    const window = await createWindow({ region: "me", ...windowAt(wholeSecondsFromNow(11 * 3_600_000)) });
    expect(window.status, window.text).toBe(201);
    const id = await executeOrThrow(env.tokens.operator, {
      scope: "tenant",
      tenant_ids: [canary.id, later.id],
      rollout: { waves: [{ type: "canary", tenant_ids: [canary.id] }, { type: "rest" }] },
    });
    // The canary's wave runs (its region has no window); the rest wave waits for region me's.
    const waiting = await waitUntilWaiting(id, 1);
    expect(waiting.rollout.waves.map((w: { status: string }) => w.status)).toEqual(["completed", "running"]);
    const bySchema = (schema: string) => waiting.targets.find((t: { schema_name: string }) => t.schema_name === schema);
    expect(bySchema(canary.schema)).toMatchObject({ status: "succeeded", wave: 0 });
    expect(bySchema(later.schema)).toMatchObject({ status: "pending", wave: 1, started_at: null, waiting_for_window: { opens_at: expect.any(String) } });

    const opening = wholeSecondsFromNow(2_500);
    expect((await patchWindow(window.json.id, windowAt(opening, 10))).status).toBe(200);
    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status).toBe("completed");
    const started = done.targets.find((t: { schema_name: string }) => t.schema_name === later.schema).started_at;
    expect(Date.parse(started)).toBeGreaterThanOrEqual(opening.getTime());
    await deleteWindow(window.json.id);
  });
});

describe("schedules and windows", () => {
  it("a schedule firing outside the window records its execution, whose targets wait; deleting the window lets them start", async () => {
    const window = await createWindow({ region: "sa", ...windowAt(wholeSecondsFromNow(9 * 3_600_000)) });
    expect(window.status, window.text).toBe(201);
    const created = await call(schedulesRoute.POST, "POST", "/api/schedules", {
      token: env.tokens.operator,
      body: { name: "sa at night", scope: "regional", region: "sa", cron: "0 3 * * *" },
    });
    expect(created.status, created.text).toBe(201);
    await getDb().update(schedules).set({ nextRunAt: new Date(Date.now() - 1_000) }).where(eq(schedules.id, created.json.id));
    expect(await fireDueSchedules()).toEqual([expect.objectContaining({ schedule: "sa at night", outcome: "fired" })]);
    const [execution] = await getDb().select().from(executions).where(eq(executions.executedBy, "schedule:sa at night"));
    const waiting = await waitUntilWaiting(execution!.id, 3);
    for (const t of waiting.targets) expect(t).toMatchObject({ status: "pending", waiting_for_window: { opens_at: expect.any(String) } });

    expect((await deleteWindow(window.json.id)).status).toBe(204);
    expect((await waitForEnd(env.tokens.viewer, execution!.id, 60_000)).status).toBe("completed");
  });
});

describe("managing windows", () => {
  it("refuses bad input with 422 naming the field", async () => {
    const shared = env.fleet.shared.eu!.id;
    const base = { database_id: shared, days: ["mon"], start: "02:00", duration_minutes: 60, timezone: "UTC" };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, timezone: "Mars/Olympus" }, "timezone"],
      [{ ...base, duration_minutes: 0 }, "duration_minutes"],
      [{ ...base, start: "25:00" }, "start"],
      [{ ...base, days: ["someday"] }, "days.0"],
      [{ ...base, days: [] }, "days"],
      [{ ...base, region: "eu" }, "database_id"],
      [{ ...base, database_id: "00000000-0000-0000-0000-000000000000" }, "database_id"],
      [{ ...base, days: ["mon", "tue"], duration_minutes: 25 * 60 }, "duration_minutes"],
    ];
    for (const [body, field] of cases) {
      const res = await createWindow(body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(422);
      expect(res.json.details.fields[0].field).toBe(field);
    }
    const first = await createWindow(base);
    expect(first.status, first.text).toBe(201);
    const overlapping = await createWindow({ ...base, start: "01:30", timezone: "UTC" });
    expect(overlapping.status).toBe(422);
    expect(overlapping.json.details.fields[0].field).toBe("start");
    expect(overlapping.json.message).toContain("overlaps");
    // The same instant in another time zone overlaps too.
    const shifted = await createWindow({ ...base, start: "03:30", timezone: "Europe/Berlin" });
    expect(shifted.status).toBe(422);
    const touching = await createWindow({ ...base, start: "03:00" });
    expect(touching.status, touching.text).toBe(201);
    expect((await patchWindow(touching.json.id, { start: "02:30" })).json.details.fields[0].field).toBe("start");
    await deleteWindow(first.json.id);
    await deleteWindow(touching.json.id);
  });

  it("only infrastructure admins change windows; readers see them", async () => {
    const body = { region: "eu", days: ["sun"], start: "04:00", duration_minutes: 30 };
    expect((await createWindow(body, env.tokens.operator)).status).toBe(403);
    const created = await createWindow(body);
    expect(created.status).toBe(201);
    expect(created.json.timezone).toBe("UTC");
    expect((await patchWindow(created.json.id, { duration_minutes: 45 }, env.tokens.operator)).status).toBe(403);
    expect((await deleteWindow(created.json.id, env.tokens.operator)).status).toBe(403);
    const listed = await listWindows({ region: "eu" }, env.tokens.viewer);
    expect(listed.status).toBe(200);
    expect(listed.json.windows.map((w: { id: string }) => w.id)).toContain(created.json.id);
    const changed = await patchWindow(created.json.id, { duration_minutes: 45, label: "sunday" });
    expect(changed.json).toMatchObject({ duration_minutes: 45, label: "sunday", description: "sun 04:00 for 45 min (UTC)" });
    const [audited] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "maintenance_windows.update"), eq(auditLog.resourceId, created.json.id), eq(auditLog.outcome, "success")))
      .limit(1);
    expect(audited?.details).toMatchObject({ before: "sun 04:00 for 30 min (UTC)", after: "sun 04:00 for 45 min (UTC)" });
    expect((await deleteWindow(created.json.id)).status).toBe(204);
  });
});
