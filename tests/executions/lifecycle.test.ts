import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as cancelRoute from "../../app/api/migrations/[id]/cancel/route";
import * as healthRoute from "../../app/api/migrations/health/route";
import { sql } from "drizzle-orm";
import { getDb } from "../../server/db/client";
import { tenants } from "../../server/db/schema";
import { startMigrationWorker } from "../../server/jobs/start-worker";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { executionEventStream } from "../../server/migrations/executions/event-stream";
import { setEnv, waitFor } from "../support/test-env";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { allEvents, executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import type { FleetTenant } from "./fleet-env";
import { openEvents } from "./sse-client";

/**
 * An execution's life with a real worker: transient failures retried with growing delays (issue
 * 6, acceptance 3), the SSE stream resumed with Last-Event-ID (acceptance 4), cancel, and the
 * per-target time budget.
 */

let env: ExecutionEnv;
let catalogDir: string;

function writeCatalog(dir: string, files: Record<string, string>) {
  mkdirSync(path.join(dir, "tenant"), { recursive: true });
  for (const [file, sql] of Object.entries(files)) writeFileSync(path.join(dir, file), sql);
}

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "life-catalog-"));
  writeCatalog(catalogDir, {
    "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE accounts;\n",
    "tenant/0002_ledger.sql": "-- migrate:up\nSELECT pg_sleep(0.25);\nCREATE TABLE ledger (id int);\n-- migrate:down\nDROP TABLE ledger;\n",
    "tenant/0003_notes.sql": "-- migrate:up\nSELECT pg_sleep(0.25);\nCREATE TABLE notes (body text);\n-- migrate:down\nDROP TABLE notes;\n",
  });
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 0, catalogDir, prefix: "life", env: { MIGRATION_RETRY_DELAY_MS: "300" } });
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const tenantIds = (ts: FleetTenant[]) => ts.map((t) => t.id);
const versionsOf = async (t: FleetTenant) =>
  (
    await onDatabase<{ version: string }>(
      env.fleet.shared.eu!.db.url,
      `select version from "${t.schema}"._schema_migrations where state = 'applied' order by version`,
    ).catch(() => ({ rows: [] }))
  ).rows.map((r) => r.version);

describe("a database that cannot be reached", () => {
  it("is retried MIGRATION_RETRY_ATTEMPTS times with growing delays, then fails; the other targets complete", async () => {
    const deadId = await env.fleet.register("dead-eu", { name: "nowhere", port: 1 }, "tenant", "eu");
    const [stranded] = await getDb()
      .insert(tenants)
      .values({ slug: "stranded", name: "Stranded", region: "eu", connectionId: deadId, schemaName: "tenant_stranded", createdBy: "test" })
      .returning();
    const healthy = await env.fleet.addTenants("eu", ["r-1", "r-2", "r-3"]);

    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [stranded!.id, ...tenantIds(healthy)] });
    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status).toBe("failed");
    expect(done.progress).toMatchObject({ total_targets: 4, completed_targets: 3, failed_targets: 1 });
    const dead = done.targets.find((t: { tenant_id: string }) => t.tenant_id === stranded!.id);
    // MIGRATION_RETRY_ATTEMPTS=3: the first try and three retries.
    expect(dead).toMatchObject({ status: "failed", attempts: 4, error: { code: "ECONNREFUSED", transient: true } });
    for (const t of healthy) expect(await versionsOf(t)).toEqual(["0001", "0002", "0003"]);

    const events = (await allEvents(id)).filter((e) => e.payload.target_id === dead.id);
    const retries = events.filter((e) => e.type === "target_retry_scheduled");
    expect(retries.map((e) => e.payload.attempt)).toEqual([1, 2, 3]);
    const delays = retries.map((e) => e.payload.delay_ms as number);
    // 300 ms doubling, plus up to 50 % jitter: each strictly longer than the one before.
    expect(delays[0]).toBeGreaterThanOrEqual(300);
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(delays[2]).toBeGreaterThan(delays[1]!);
    // And no attempt started before its delay was up.
    const starts = events.filter((e) => e.type === "target_started").map((e) => e.createdAt.getTime());
    expect(starts).toHaveLength(4);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(delays[i - 1]! - 5);
    expect(events.at(-1)).toMatchObject({ type: "target_finished", payload: { status: "failed", attempts: 4 } });
    await getDb().delete(tenants).where(eq(tenants.id, stranded!.id));
  });
});

describe("the event stream", () => {
  it("a client that disconnects and comes back with Last-Event-ID gets every event exactly once, in order", async () => {
    const set = await env.fleet.addTenants("eu", ["s-1", "s-2", "s-3", "s-4", "s-5", "s-6", "s-7", "s-8"]);
    await env.worker!.stop();
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: tenantIds(set) });
    const first = await openEvents(env.tokens.viewer, id);
    expect(first.status).toBe(200);
    env.worker = await startMigrationWorker({ kind: "in-process" });
    await first.untilCount(6);
    first.disconnect();
    expect(await first.ended).toBe("client");
    const seen = [...first.messages];
    const lastId = seen.at(-1)!.id!;

    // Events keep coming while the client is away.
    await waitFor(
      "events written while disconnected",
      async () => ((await allEvents(id)).some((e) => e.id > lastId + 3) ? true : undefined),
      30_000,
    );
    const second = await openEvents(env.tokens.viewer, id, { lastEventId: lastId });
    expect(await second.ended).toBe("server");

    const received = [...seen, ...second.messages];
    const stored = await allEvents(id);
    expect(received.map((m) => m.id)).toEqual(stored.map((e) => e.id));
    expect(received.map((m) => m.event)).toEqual(stored.map((e) => e.type));
    expect(second.messages[0]!.id).toBeGreaterThan(lastId);
    expect(received.at(-1)!.event).toBe("execution_finished");
    expect(received.at(-1)!.data).toMatchObject({ execution_id: id, type: "execution_finished", payload: { status: "completed" } });
    const finished = received.filter((m) => m.event === "target_finished");
    expect(finished).toHaveLength(set.length);
    expect(finished.at(-1)!.data.payload.progress).toMatchObject({ completed_targets: 8, completion_percentage: 100 });

    // ?after= works the same, and a finished execution's stream replays and ends.
    const replay = await openEvents(env.tokens.viewer, id, { after: stored[2]!.id });
    expect(await replay.ended).toBe("server");
    expect(replay.messages.map((m) => m.id)).toEqual(stored.slice(3).map((e) => e.id));

    // The status says which event it already reflects, so a page resumes right after it.
    expect((await status(env.tokens.viewer, id)).json.last_event_id).toBe(stored.at(-1)!.id);
  });

  it("sends heartbeat comments while nothing happens, and stops when the client goes away", async () => {
    const set = await env.fleet.addTenants("eu", ["h-1"]);
    await env.worker!.stop();
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: tenantIds(set) });
    const abort = new AbortController();
    const stream = executionEventStream({ executionId: id, after: 0, signal: abort.signal, heartbeatMs: 100, pollMs: 200 });
    const reader = stream.getReader();
    let text = "";
    while (!/heartbeat[\s\S]*heartbeat/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain("event: execution_created");
    abort.abort();
    for (;;) if ((await reader.read()).done) break;
    env.worker = await startMigrationWorker({ kind: "in-process" });
    expect((await waitForEnd(env.tokens.viewer, id)).status).toBe("completed");
  });

  it("needs migrations:read and an existing execution", async () => {
    const res = await openEvents(env.tokens.viewer, "00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(404);
  });
});

describe("cancel", () => {
  it("skips queued targets at once; running ones finish their current migration; the execution ends cancelled", async () => {
    const set = await env.fleet.addTenants("eu", Array.from({ length: 12 }, (_, i) => `c-${i}`));
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: tenantIds(set) });
    await waitFor(
      "targets running",
      async () => ((await status(env.tokens.viewer, id)).json.targets.some((t: { status: string }) => t.status === "running") ? true : undefined),
      30_000,
      20,
    );
    expect((await call(cancelRoute.POST, "POST", `/api/migrations/${id}/cancel`, { token: env.tokens.viewer, params: { id } })).status).toBe(403);
    const res = await call(cancelRoute.POST, "POST", `/api/migrations/${id}/cancel`, { token: env.tokens.operator, params: { id } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.cancel_requested_by).toBe("operator");

    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status).toBe("cancelled");
    expect(done.error_message).toContain("cancelled by operator");
    const skipped = done.targets.filter((t: { status: string }) => t.status === "skipped");
    expect(skipped.length).toBeGreaterThan(0);
    expect(done.progress.skipped_targets + done.progress.completed_targets + done.progress.failed_targets).toBe(12);
    for (const t of done.targets) {
      const tenant = set.find((s) => s.schema === t.schema_name)!;
      const applied = t.migrations.filter((m: { status: string }) => m.status === "applied").map((m: { version: string }) => m.version);
      // What the target reports applied is exactly what its history holds: no half-applied migration.
      expect(await versionsOf(tenant)).toEqual(applied);
      if (t.status === "skipped") expect(t.error.code).toBe("cancelled");
      if (t.status === "skipped" && t.attempts === 0) expect(applied).toEqual([]);
    }
    const types = (await allEvents(id)).map((e) => e.type);
    expect(types).toContain("cancel_requested");
    expect(types.at(-1)).toBe("execution_finished");

    const again = await call(cancelRoute.POST, "POST", `/api/migrations/${id}/cancel`, { token: env.tokens.operator, params: { id } });
    expect(again.status).toBe(409);
  });
});

describe("the per-target time budget", () => {
  it("a target running past MIGRATION_TIMEOUT is stopped and failed; its open migration leaves nothing", async () => {
    const slowDir = mkdtempSync(path.join(os.tmpdir(), "slow-catalog-"));
    writeCatalog(slowDir, {
      "tenant/0001_one.sql": "-- migrate:up\nSELECT pg_sleep(0.8);\nCREATE TABLE one (id int);\n",
      "tenant/0002_two.sql": "-- migrate:up\nSELECT pg_sleep(0.8);\nCREATE TABLE two (id int);\n",
      "tenant/0003_three.sql": "-- migrate:up\nCREATE TABLE three (id int);\nSELECT pg_sleep(0.8);\n",
    });
    setEnv({ MIGRATIONS_DIR: slowDir, MIGRATION_TIMEOUT: "2" });
    resetCatalogStore();
    try {
      const [slow] = await env.fleet.addTenants("eu", ["slowpoke"]);
      const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [slow!.id] });
      const done = await waitForEnd(env.tokens.viewer, id, 30_000);
      expect(done.status).toBe("failed");
      const target = done.targets[0];
      expect(target.error).toMatchObject({ code: "target_timeout", transient: false });
      expect(target.error.message).toContain("2 s budget");
      expect(target.attempts).toBe(1);
      expect(target.migrations.map((m: { status: string }) => m.status)).toEqual(["applied", "applied", "failed"]);
      expect(await versionsOf(slow!)).toEqual(["0001", "0002"]);
      const { rows } = await onDatabase(env.fleet.shared.eu!.db.url, "select 1 from pg_tables where schemaname = 'tenant_slowpoke' and tablename = 'three'");
      expect(rows).toHaveLength(0);
    } finally {
      setEnv({ MIGRATIONS_DIR: catalogDir, MIGRATION_TIMEOUT: "300" });
      resetCatalogStore();
      rmSync(slowDir, { recursive: true, force: true });
    }
  });
});

describe("the queue", () => {
  it("health shows jobs waiting with no live worker as degraded, and ok once a worker runs them", async () => {
    const set = await env.fleet.addTenants("eu", ["q-1", "q-2"]);
    await env.worker!.stop();
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: tenantIds(set) });
    const res = await call(healthRoute.GET, "GET", "/api/migrations/health", { token: env.tokens.viewer });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: "degraded", workers_alive: 0, engine: { catalog_loaded: true, migrations: 3 } });
    expect(res.json.queue.ready).toBeGreaterThanOrEqual(2);
    expect(res.json.queue.oldest_ready_age_seconds).toBeGreaterThanOrEqual(0);
    expect(res.json.executions.in_progress).toBeGreaterThanOrEqual(1);

    env.worker = await startMigrationWorker({ kind: "in-process" });
    expect((await waitForEnd(env.tokens.viewer, id)).status).toBe("completed");
    // The last target's job ends just after it settles its target (which ends the execution): the
    // queue reads empty once that job has returned.
    const after = await waitFor(
      "the queue to be empty",
      async () => {
        const r = await call(healthRoute.GET, "GET", "/api/migrations/health", { token: env.tokens.viewer });
        return r.json.queue?.running === 0 ? r : undefined;
      },
      30_000,
    );
    expect(after.json).toMatchObject({ status: "ok", workers_alive: 1, queue: { ready: 0, running: 0 } });
  });

  it("a job with a payload that can never be valid fails once, without retries", async () => {
    await getDb().execute(sql`select graphile_worker.add_job('migrate_target', '{"execution_id": "nope"}'::json, max_attempts => 25)`);
    const job = await waitFor(
      "the bad job to fail",
      async () => {
        const { rows } = await getDb().execute<{ attempts: number; max_attempts: number; last_error: string | null }>(
          sql`select attempts, max_attempts, last_error from graphile_worker._private_jobs where payload::text like '%nope%' and last_error is not null`,
        );
        return rows[0];
      },
      30_000,
    );
    expect(job.attempts).toBe(1);
    expect(job.max_attempts).toBe(1);
    expect(job.last_error).toContain("invalid migrate_target payload (not retried)");
  });
});
