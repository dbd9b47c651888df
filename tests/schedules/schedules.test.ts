import { spawn } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as scheduleRoute from "../../app/api/schedules/[id]/route";
import * as schedulesRoute from "../../app/api/schedules/route";
import { getDb } from "../../server/db/client";
import { connections, executions, schedules } from "../../server/db/schema";
import { nextRuns } from "../../server/domain/schedule-times";
import { fireDueSchedules } from "../../server/schedules/service";
import { waitFor } from "../support/test-env";
import { call } from "../support/api-call";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";

/**
 * Schedules through the real routes (migrations:manage), their next runs in a time zone, firing
 * as an ordinary execution, and — issue 6, acceptance 6 — two console processes with the same due
 * schedules: each fires exactly once.
 */

let env: ExecutionEnv;

beforeAll(async () => {
  // No worker: schedules are checked by the executions they create.
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 1, prefix: "sched", worker: false });
});

afterAll(() => stopExecutionEnv(env));

const create = (body: Record<string, unknown>, token = env.tokens.operator) => call(schedulesRoute.POST, "POST", "/api/schedules", { token, body });
const patch = (id: string, body: Record<string, unknown>) => call(scheduleRoute.PATCH, "PATCH", `/api/schedules/${id}`, { token: env.tokens.operator, params: { id }, body });
const get = (id: string) => call(scheduleRoute.GET, "GET", `/api/schedules/${id}`, { token: env.tokens.operator, params: { id } });
const executionsOf = async (scheduleId: string) =>
  getDb()
    .select()
    .from(executions)
    .where(sql`${executions.metadata} ->> 'schedule_id' = ${scheduleId}`);

describe("managing schedules", () => {
  it("creates a cron schedule in a time zone and shows its next five runs", async () => {
    const res = await create({ name: "nightly tenants", scope: "tenant", cron: "0 3 * * *", timezone: "Europe/Berlin" });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ name: "nightly tenants", scope: "tenant", cron: "0 3 * * *", timezone: "Europe/Berlin", enabled: true, created_by: "operator" });
    expect(res.json.next_runs).toHaveLength(5);
    expect(res.json.next_run_at).toBe(res.json.next_runs[0]);
    const expected = nextRuns("0 3 * * *", "Europe/Berlin", new Date(Date.parse(res.json.next_runs[0]) - 1), 5).map((d) => d.toISOString());
    expect(res.json.next_runs).toEqual(expected);
    for (const run of res.json.next_runs) {
      expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(new Date(run))).toBe("03:00");
    }
  });

  it("refuses what it cannot run: bad cron, bad zone, both or neither timing, unknown region, duplicate name", async () => {
    let res = await create({ name: "bad", scope: "tenant", cron: "61 * * * *" });
    expect(res.status).toBe(422);
    expect(res.json.details.fields[0].field).toBe("cron");
    res = await create({ name: "bad", scope: "tenant", cron: "0 3 * * *", timezone: "Mars/Olympus" });
    expect(res.status).toBe(422);
    res = await create({ name: "bad", scope: "tenant", cron: "0 3 * * *", run_at: new Date(Date.now() + 60_000).toISOString() });
    expect(res.status).toBe(422);
    res = await create({ name: "bad", scope: "tenant" });
    expect(res.status).toBe(422);
    res = await create({ name: "bad", scope: "tenant", run_at: "2001-01-01T00:00:00Z" });
    expect(res.json.details.fields[0].message).toContain("future");
    res = await create({ name: "bad", scope: "regional", region: "mars-1", cron: "0 3 * * *" });
    expect(res.status).toBe(404);
    res = await create({ name: "nightly tenants", scope: "tenant", cron: "0 4 * * *" });
    expect(res.status).toBe(409);
  });

  it("needs migrations:manage", async () => {
    expect((await create({ name: "x", scope: "tenant", cron: "0 3 * * *" }, env.tokens.ciOperator)).status).toBe(403);
    expect((await call(schedulesRoute.GET, "GET", "/api/schedules", { token: env.tokens.viewer })).status).toBe(403);
  });

  it("disables, re-enables, changes its timing, lists and deletes", async () => {
    const { json: created } = await create({ name: "weekly", scope: "admin", cron: "30 1 * * 0" });
    let res = await patch(created.id, { enabled: false });
    expect(res.json).toMatchObject({ enabled: false, next_run_at: null, next_runs: [] });
    res = await patch(created.id, { enabled: true, cron: "*/15 * * * *", timezone: "UTC" });
    expect(res.json.enabled).toBe(true);
    expect(Date.parse(res.json.next_run_at) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(new Date(res.json.next_run_at).getUTCMinutes() % 15).toBe(0);
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    res = await patch(created.id, { run_at: runAt });
    expect(res.json).toMatchObject({ cron: null, next_run_at: runAt, next_runs: [runAt] });
    res = await patch(created.id, { region: "eu" });
    expect(res.status).toBe(422);

    const list = await call(schedulesRoute.GET, "GET", "/api/schedules", { token: env.tokens.operator, query: { enabled: "true" } });
    expect(list.json.schedules.map((s: { name: string }) => s.name)).toEqual(["nightly tenants", "weekly"]);
    expect((await call(scheduleRoute.DELETE, "DELETE", `/api/schedules/${created.id}`, { token: env.tokens.operator, params: { id: created.id } })).status).toBe(204);
    expect((await get(created.id)).status).toBe(404);
  });
});

describe("firing", () => {
  it("a due schedule becomes an ordinary execution by schedule:<name>, and moves on to its next run", async () => {
    const { json: s } = await create({ name: "admin soon", scope: "admin", cron: "0 3 * * *" });
    await getDb().update(schedules).set({ nextRunAt: new Date(Date.now() - 1_000) }).where(eq(schedules.id, s.id));
    const outcomes = await fireDueSchedules();
    expect(outcomes).toEqual([expect.objectContaining({ schedule: "admin soon", outcome: "fired" })]);
    const [execution] = await executionsOf(s.id);
    expect(execution).toMatchObject({ executedBy: "schedule:admin soon", scope: "admin", kind: "migrate" });
    const after = (await get(s.id)).json;
    expect(after.last_execution_id).toBe(execution!.id);
    expect(Date.parse(after.next_run_at)).toBeGreaterThan(Date.now());
    expect(await fireDueSchedules()).toEqual([]);
  });

  it("a run_at schedule fires once; a schedule that cannot plan keeps the reason and does not retry at once", async () => {
    const { json: once } = await create({ name: "once", scope: "admin", run_at: new Date(Date.now() + 60_000).toISOString(), dry_run: true });
    await getDb().update(schedules).set({ nextRunAt: new Date(Date.now() - 1) }).where(eq(schedules.id, once.id));
    await fireDueSchedules();
    expect((await executionsOf(once.id))[0]).toMatchObject({ kind: "rehearsal", dryRun: true });
    expect((await get(once.id)).json).toMatchObject({ next_run_at: null, next_runs: [] });

    const { json: broken } = await create({ name: "broken", scope: "single", database_id: env.fleet.shared.eu!.id, cron: "0 3 * * *" });
    await getDb().update(connections).set({ isActive: false }).where(eq(connections.id, env.fleet.shared.eu!.id));
    try {
      await getDb().update(schedules).set({ nextRunAt: new Date(Date.now() - 1) }).where(eq(schedules.id, broken.id));
      expect(await fireDueSchedules()).toEqual([expect.objectContaining({ schedule: "broken", outcome: "failed" })]);
      const after = (await get(broken.id)).json;
      expect(after.last_error).toContain("not active");
      expect(Date.parse(after.next_run_at)).toBeGreaterThan(Date.now());
      expect(await executionsOf(broken.id)).toEqual([]);
    } finally {
      await getDb().update(connections).set({ isActive: true }).where(eq(connections.id, env.fleet.shared.eu!.id));
    }
  });

  it("two console processes with the same due schedules: each schedule fires exactly once", async () => {
    const names = ["race-1", "race-2", "race-3", "race-4"];
    const ids: string[] = [];
    for (const name of names) ids.push((await create({ name, scope: "admin", cron: "0 3 * * *", timezone: "UTC" })).json.id);
    const childEnv = {
      ...process.env,
      DATABASE_URL: env.fleet.env.controlPlane.url,
      APP_ENCRYPTION_KEY: env.fleet.env.encryptionKey,
      ENVIRONMENT: "testing",
      LOG_LEVEL: "debug",
      SCHEDULE_POLL_INTERVAL_MS: "100",
    };
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/schedules/firer-process.ts")], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      return { child, out: () => out, exited: new Promise((r) => child.on("exit", r)) };
    });
    try {
      await waitFor("both firers ready", async () => (children.every((c) => c.out().includes("[firer] ready")) ? true : undefined), 30_000, 50).catch(
        (error: Error) => {
          throw new Error(`${error.message}\n${children.map((c) => c.out()).join("\n---\n")}`);
        },
      );
      // Due in a moment, for both at once.
      const due = new Date(Date.now() + 1_000);
      for (const id of ids) await getDb().update(schedules).set({ nextRunAt: due }).where(eq(schedules.id, id));
      await waitFor(
        "every schedule fired",
        async () => ((await Promise.all(ids.map(executionsOf))).every((e) => e.length > 0) ? true : undefined),
        30_000,
        100,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${children.map((c) => c.out()).join("\n---\n")}`);
      });
      await new Promise((r) => setTimeout(r, 1_500)); // time for a second firing, if there were one
      for (const id of ids) {
        const fired = await executionsOf(id);
        expect(fired).toHaveLength(1);
        expect((await get(id)).json.last_execution_id).toBe(fired[0]!.id);
      }
      const fires = children.map((c) => (c.out().match(/schedule fired/g) ?? []).length);
      expect(fires[0]! + fires[1]!).toBe(names.length);
    } finally {
      for (const c of children) c.child.kill("SIGTERM");
      await Promise.all(children.map((c) => c.exited));
    }
  });
});
