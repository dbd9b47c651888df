import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as resumeRoute from "../../app/api/migrations/[id]/resume/route";
import * as rollbackRoute from "../../app/api/migrations/rollback/route";
import * as auditRoute from "../../app/api/audit/route";
import * as webhooksRoute from "../../app/api/webhooks/route";
import * as schedulesRoute from "../../app/api/schedules/route";
import { eq } from "drizzle-orm";
import { getDb } from "../../server/db/client";
import { schedules } from "../../server/db/schema";
import { fireDueSchedules } from "../../server/schedules/service";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { waitFor } from "../support/test-env";
import { startReceiver, type Receiver } from "../webhooks/receiver";
import { allEvents, execute, executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import type { FleetTenant } from "./fleet-env";

/**
 * Issue 14, waves and the halt rule, on a real control plane, job queue and fleet: a four-wave
 * rollout over 40 tenants whose canary fails halts with nothing started in the later waves, and
 * completes wave after wave once the canary is fixed and the operator resumes; a wave halts by the
 * share of its targets that failed, and a halted rollout is rolled back; bad waves are refused
 * naming the field.
 */

let env: ExecutionEnv;
let receiver: Receiver;
let catalogDir: string;

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "waves-catalog-"));
  mkdirSync(path.join(catalogDir, "tenant"));
  mkdirSync(path.join(catalogDir, "shared"));
  writeFileSync(path.join(catalogDir, "shared", "0001_regions.sql"), "-- migrate:up\nCREATE TABLE region_settings (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE region_settings;\n");
  writeFileSync(path.join(catalogDir, "tenant", "0001_accounts.sql"), "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE accounts;\n");
  writeFileSync(path.join(catalogDir, "tenant", "0002_notes.sql"), "-- migrate:up\nCREATE TABLE notes (id int PRIMARY KEY, body text);\n-- migrate:down\nDROP TABLE notes;\n");
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 40, catalogDir, prefix: "wav" });
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const operator = () => env.tokens.operator;
const sharedUrl = () => env.fleet.shared.eu!.db.url;
const inSchema = (t: FleetTenant, statement: string) => onDatabase(sharedUrl(), statement.replaceAll("$schema", `"${t.schema}"`));

const resume = (id: string, body: Record<string, unknown> = {}, token = operator()) =>
  call(resumeRoute.POST, "POST", `/api/migrations/${id}/resume`, { token, params: { id }, body });

/** Halted, and every target of the halted wave has finished (none still running). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
async function waitForHaltSettled(id: string): Promise<any> {
  return waitFor(`execution ${id} halted with nothing running`, async () => {
    const res = await status(operator(), id);
    const body = res.json;
    if (body?.status !== "halted") return undefined;
    return body.targets.some((t: { status: string }) => t.status === "running") ? undefined : body;
  }, 60_000, 100);
}

describe("a four-wave rollout over 40 tenants", () => {
  let executionId: string;
  let canary: FleetTenant;

  it("registers a webhook endpoint for execution.halted", async () => {
    const res = await call(webhooksRoute.POST, "POST", "/api/webhooks", {
      token: env.tokens.admin,
      body: { name: "halts", url: `${receiver.origin}/halted`, events: ["execution.halted"] },
    });
    expect(res.status, res.text).toBe(201);
  });

  it("the canary fails on an object in its way: the rollout halts with nothing started in the later waves", async () => {
    canary = env.fleet.tenants[12]!;
    await inSchema(canary, "create table $schema.accounts (id int)");
    const res = await execute(operator(), {
      scope: "regional",
      region: "eu",
      rollout: {
        waves: [{ type: "canary", tenant_ids: [canary.id] }, { type: "percent", percent: 10 }, { type: "percent", percent: 50 }, { type: "rest" }],
      },
    });
    expect(res.status, res.text).toBe(202);
    executionId = res.json.id;
    // The shared target runs in the first wave with the canary; 39 other tenants: 10 % → 4, 50 % → 20, the rest 15.
    expect(res.json.rollout.waves.map((w: { label: string; total: number }) => [w.label, w.total])).toEqual([
      ["canary", 2],
      ["10 %", 4],
      ["50 %", 20],
      ["rest", 15],
    ]);
    expect(res.json.rollout.halt_rule).toEqual({ max_failed_targets: 0, max_failed_percent: null });

    const halted = await waitForHaltSettled(executionId);
    expect(halted.error_message).toMatch(/^halted: 1 of 2 targets failed in wave 1 \(canary\)/);
    expect(halted.rollout.halted).toMatchObject({ wave: 0, reason: expect.stringContaining("wave 1 (canary)") });
    expect(halted.rollout.waves.map((w: { status: string }) => w.status)).toEqual(["halted", "pending", "pending", "pending"]);
    const byWave = (w: number) => halted.targets.filter((t: { wave: number }) => t.wave === w);
    expect(byWave(0).map((t: { schema_name: string; status: string }) => [t.schema_name, t.status]).sort()).toEqual(
      [["public", "succeeded"], [canary.schema, "failed"]].sort(),
    );
    expect(byWave(0).find((t: { schema_name: string }) => t.schema_name === canary.schema).error).toMatchObject({ code: "42P07", file: "tenant/0001_accounts.sql" });
    for (const w of [1, 2, 3]) {
      for (const t of byWave(w)) expect(t).toMatchObject({ status: "pending", attempts: 0, started_at: null });
    }
    expect(byWave(1).length + byWave(2).length + byWave(3).length).toBe(39);

    const events = await allEvents(executionId);
    const laterIds = new Set(halted.targets.filter((t: { wave: number }) => t.wave > 0).map((t: { id: string }) => t.id));
    expect(events.filter((e) => e.type === "target_started" && laterIds.has(e.payload.target_id as string))).toEqual([]);
    expect(events.filter((e) => e.type === "execution_halted")).toHaveLength(1);
    expect(events.some((e) => e.type === "wave_started")).toBe(false);
    // No later tenant's schema was touched.
    const later = env.fleet.tenants.filter((t) => t.id !== canary.id);
    const { rows } = await onDatabase<{ n: number }>(
      sharedUrl(),
      `select count(*)::int as n from information_schema.tables where table_name = 'accounts' and table_schema = any($1)`,
      [later.map((t) => t.schema)],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it("sends execution.halted to the subscribed endpoint", async () => {
    const [request] = await receiver.received("/halted", 1);
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ type: "execution.halted", data: { execution: { id: executionId, status: "halted" } } });
    expect(body.data.execution.error_message).toContain("wave 1 (canary)");
  });

  it("a reader may not resume, and a malformed body is a 422 naming the field", async () => {
    expect((await resume(executionId, {}, env.tokens.viewer)).status).toBe(403);
    const bad = await resume(executionId, { retry_failed: "yes" });
    expect(bad.status).toBe(422);
    expect(bad.json.details.fields[0].field).toBe("retry_failed");
  });

  it("after the object is removed, resume retries the canary and the waves follow one after the other to the end", async () => {
    await inSchema(canary, "drop table $schema.accounts");
    const res = await resume(executionId);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: "in_progress", error_message: null });
    expect(res.json.rollout.resumes).toEqual([expect.objectContaining({ by: "operator", wave: 0, retried: 1 })]);
    expect((await resume(executionId)).status).toBe(409);

    const done = await waitForEnd(operator(), executionId, 120_000);
    expect(done.status, done.error_message).toBe("completed");
    expect(done.progress).toMatchObject({ total_targets: 41, completed_targets: 41, failed_targets: 0 });
    expect(done.rollout.waves.map((w: { status: string; succeeded: number }) => [w.status, w.succeeded])).toEqual([
      ["completed", 2],
      ["completed", 4],
      ["completed", 20],
      ["completed", 15],
    ]);

    // Each wave's first target started only after the previous wave's last target finished.
    const events = await allEvents(executionId);
    const waveOf = new Map<string, number>(done.targets.map((t: { id: string; wave: number }) => [t.id, t.wave]));
    for (const w of [1, 2, 3]) {
      const lastFinishedBefore = Math.max(
        ...events.filter((e) => e.type === "target_finished" && waveOf.get(e.payload.target_id as string) === w - 1).map((e) => e.id),
      );
      const firstStarted = Math.min(...events.filter((e) => e.type === "target_started" && waveOf.get(e.payload.target_id as string) === w).map((e) => e.id));
      expect(firstStarted).toBeGreaterThan(lastFinishedBefore);
    }
    expect(events.filter((e) => e.type === "wave_started").map((e) => e.payload.wave)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === "execution_resumed")).toHaveLength(1);
    // The last event carries the waves as they ended, for the page's strip.
    expect(events.at(-1)).toMatchObject({ type: "execution_finished", payload: { status: "completed" } });
    expect((events.at(-1)!.payload.rollout as { waves: Array<{ status: string }> }).waves.map((w) => w.status)).toEqual([
      "completed",
      "completed",
      "completed",
      "completed",
    ]);

    const audit = await call(auditRoute.GET, "GET", "/api/audit", { token: env.tokens.admin, query: { action: "migrations.resume" } });
    expect(audit.json.entries.find((e: { outcome: string }) => e.outcome === "success")).toMatchObject({ action: "migrations.resume", resource_id: executionId, actor_name: "operator", details: { retry_failed: true } });
  });
});

describe("the halt rule by percentage", () => {
  let batch: FleetTenant[];
  let executionId: string;

  it("a wave of 4 where 2 fail (50 %, more than 25 %) halts; one failure (25 %) would not", async () => {
    batch = await env.fleet.addTenants("eu", Array.from({ length: 10 }, (_, i) => `p-${String(i).padStart(2, "0")}`));
    // The second wave (p-02 … p-05) holds the failures: its first failure is 25 %, the second 50 %.
    for (const t of [batch[3]!, batch[4]!]) await inSchema(t, "create table $schema.notes (id int)");
    executionId = await executeOrThrow(operator(), {
      scope: "tenant",
      tenant_ids: batch.map((t) => t.id),
      rollout: {
        waves: [{ type: "count", count: 2 }, { type: "count", count: 4 }, { type: "rest" }],
        halt: { max_failed_targets: null, max_failed_percent: 25 },
      },
    });
    const halted = await waitForHaltSettled(executionId);
    expect(halted.rollout.halt_rule).toEqual({ max_failed_targets: null, max_failed_percent: 25 });
    expect(halted.rollout.halted.reason).toBe("2 of 4 targets (50 %) failed in wave 2 (4 targets), more than the 25 % the halt rule allows");
    expect(halted.rollout.waves.map((w: { status: string }) => w.status)).toEqual(["completed", "halted", "pending"]);
    for (const t of halted.targets.filter((x: { wave: number }) => x.wave === 2)) expect(t).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("the halted rollout is rolled back: its queued targets are skipped, what ran is undone, and it ends rolled back", async () => {
    const res = await call(rollbackRoute.POST, "POST", "/api/migrations/rollback", { token: operator(), body: { execution_id: executionId } });
    expect(res.status, res.text).toBe(202);
    const rollback = await waitForEnd(operator(), res.json.id, 60_000);
    expect(rollback.status).toBe("completed");
    const original = await waitForEnd(operator(), executionId);
    expect(original.status).toBe("rolled_back");
    expect(original.metadata.rolled_back.status_before).toBe("failed");
    expect(original.error_message).toContain("halted: 2 of 4 targets");
    for (const t of original.targets.filter((x: { status: string }) => x.status === "skipped")) expect(t.error.code).toBe("halted");
    // Nothing of the catalog is left on the tenants the rollout reached, except what was there before.
    const { rows } = await onDatabase<{ n: number }>(
      sharedUrl(),
      `select count(*)::int as n from information_schema.tables where table_name = 'accounts' and table_schema = any($1)`,
      [batch.map((t) => t.schema)],
    );
    expect(rows[0]!.n).toBe(0);
  });
});

describe("bad rollouts are refused naming the field", () => {
  it("422 for a canary outside the scope, a canary not first, rest not last, and waves on a rehearsal", async () => {
    const outside = "00000000-0000-4000-8000-000000000001";
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ scope: "tenant", rollout: { waves: [{ type: "canary", tenant_ids: [outside] }, { type: "rest" }] } }, "rollout.waves.0.tenant_ids.0"],
      [{ scope: "tenant", rollout: { waves: [{ type: "count", count: 1 }, { type: "canary", tenant_ids: [outside] }] } }, "rollout.waves.1.type"],
      [{ scope: "tenant", rollout: { waves: [{ type: "rest" }, { type: "count", count: 2 }] } }, "rollout.waves.0.type"],
      [{ scope: "tenant", rollout: { waves: [{ type: "percent", percent: 0 }] } }, "rollout.waves.0.percent"],
      [{ scope: "tenant", dry_run: true, rollout: { waves: [{ type: "rest" }] } }, "rollout"],
      [{ scope: "tenant", rollout: { waves: [{ type: "canary", tags: ["nobody-has-this"] }] } }, "rollout.waves.0.tags"],
    ];
    await env.fleet.addTenants("eu", ["q-00"]);
    for (const [body, field] of cases) {
      const res = await execute(operator(), body);
      expect(res.status, `${field}: ${res.text}`).toBe(422);
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });
});

describe("a schedule that rolls out in waves", () => {
  it("keeps its waves and halt rule, and each firing's execution rolls out with them", async () => {
    const [tenant] = await env.fleet.addTenants("eu", ["s-00"]);
    const body = { name: "waved nightly", scope: "tenant", tenant_ids: [tenant!.id], cron: "0 3 * * *", rollout: { waves: [{ type: "count", count: 1 }, { type: "rest" }], halt: { max_failed_targets: 3 } } };
    const refused = await call(schedulesRoute.POST, "POST", "/api/schedules", { token: operator(), body: { ...body, name: "waved rehearsal", dry_run: true } });
    expect(refused.status).toBe(422);
    expect(refused.json.details.fields.map((f: { field: string }) => f.field)).toContain("rollout");
    const res = await call(schedulesRoute.POST, "POST", "/api/schedules", { token: operator(), body });
    expect(res.status, res.text).toBe(201);
    expect(res.json.rollout).toEqual({ ...body.rollout, soak_seconds: 0 });
    await getDb().update(schedules).set({ nextRunAt: new Date(Date.now() - 1_000) }).where(eq(schedules.id, res.json.id));
    const [fired] = await fireDueSchedules();
    expect(fired).toMatchObject({ schedule: "waved nightly", outcome: "fired" });
    const done = await waitForEnd(operator(), (fired as { executionId: string }).executionId);
    expect(done.status).toBe("completed");
    expect(done.rollout).toMatchObject({ halt_rule: { max_failed_targets: 3, max_failed_percent: null }, waves: [{ label: "1 target", status: "completed" }] });
  });
});
