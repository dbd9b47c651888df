import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthRoute from "../../app/api/migrations/health/route";
import { waitFor } from "../support/test-env";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { allEvents, executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import { spawnWorker, untilStarted, type WorkerProcess } from "./worker-process";

/**
 * Issue 6, acceptance 2: a standalone worker process (`npm run worker`'s entry) is killed with
 * SIGKILL in the middle of an execution; a second one is started. The second notices the first's
 * missing heartbeats, releases its jobs, and finishes the execution: every migration is recorded
 * exactly once on every target.
 */

const TENANTS = 16;
let env: ExecutionEnv;
let catalogDir: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "crash-catalog-"));
  mkdirSync(path.join(catalogDir, "tenant"));
  writeFileSync(path.join(catalogDir, "tenant/0001_accounts.sql"), "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n");
  // Slow enough that a kill lands while targets are running.
  writeFileSync(
    path.join(catalogDir, "tenant/0002_ledger.sql"),
    "-- migrate:up\nSELECT pg_sleep(0.4);\nCREATE TABLE ledger (id int PRIMARY KEY, account_id int REFERENCES accounts (id));\n",
  );
  writeFileSync(path.join(catalogDir, "tenant/0003_notes.sql"), "-- migrate:up\nSELECT pg_sleep(0.2);\nCREATE TABLE notes (body text);\n");
  // No in-process worker: the test spawns worker processes of its own.
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: TENANTS, catalogDir, prefix: "crash", worker: false });
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const workerEnv = () => ({
  DATABASE_URL: env.fleet.env.controlPlane.url,
  APP_ENCRYPTION_KEY: env.fleet.env.encryptionKey,
  MIGRATIONS_DIR: catalogDir,
  ENVIRONMENT: "testing",
  MIGRATION_BATCH_SIZE: "4",
  MIGRATION_DB_CONCURRENCY: "3",
});

describe("a worker killed mid-execution", () => {
  it("loses nothing: another worker takes over its jobs and every migration is recorded exactly once", async () => {
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant" });

    const first = spawnWorker(workerEnv());
    workers.push(first);
    await untilStarted(first);
    // Kill while some targets are done and others are running.
    await waitFor(
      "some targets done and some running",
      async () => {
        const s = (await status(env.tokens.viewer, id)).json;
        const running = s.targets.filter((t: { status: string }) => t.status === "running").length;
        return s.progress.completed_targets >= 3 && running >= 1 ? s : undefined;
      },
      60_000,
      20,
    );
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const atKill = (await status(env.tokens.viewer, id)).json;
    const interrupted = atKill.targets.filter((t: { status: string }) => t.status === "running").map((t: { id: string }) => t.id);
    expect(interrupted.length).toBeGreaterThan(0);
    expect(atKill.status).toBe("in_progress");

    const second = spawnWorker(workerEnv());
    workers.push(second);
    await untilStarted(second);
    const done = await waitForEnd(env.tokens.viewer, id, 90_000);
    expect(done.status, second.output()).toBe("completed");
    expect(done.progress).toMatchObject({ total_targets: TENANTS, completed_targets: TENANTS, failed_targets: 0 });

    // The targets the first worker was running were taken up again.
    for (const t of done.targets.filter((t: { id: string }) => interrupted.includes(t.id))) {
      expect(t.attempts).toBeGreaterThanOrEqual(2);
    }
    for (const t of env.fleet.tenants) {
      const { rows } = await onDatabase<{ version: string; n: number }>(
        env.fleet.shared.eu!.db.url,
        `select version, count(*)::int as n from "${t.schema}"._schema_migrations group by version order by version`,
      );
      expect(rows).toEqual([
        { version: "0001", n: 1 },
        { version: "0002", n: 1 },
        { version: "0003", n: 1 },
      ]);
      const { rows: tables } = await onDatabase<{ n: number }>(
        env.fleet.shared.eu!.db.url,
        `select count(*)::int as n from pg_tables where schemaname = $1 and tablename in ('accounts', 'ledger', 'notes')`,
        [t.schema],
      );
      expect(tables[0]!.n).toBe(3);
    }
    // Each target finished once, and no migration was reported applied twice.
    const events = await allEvents(id);
    const finished = events.filter((e) => e.type === "target_finished").map((e) => e.payload.target_id);
    expect(new Set(finished).size).toBe(TENANTS);
    expect(finished).toHaveLength(TENANTS);
    const applied = events
      .filter((e) => e.type === "migration_finished" && e.payload.status === "applied")
      .map((e) => `${e.payload.target_id}:${e.payload.migration_id}`);
    expect(new Set(applied).size).toBe(applied.length);

    // The health view shows the live worker and not the dead one.
    const health = await call(healthRoute.GET, "GET", "/api/migrations/health", { token: env.tokens.viewer });
    expect(health.status).toBe(200);
    expect(health.json.workers_alive).toBe(1);
    expect(health.json.workers.map((w: { pid: number }) => w.pid)).toEqual([second.child.pid]);
    expect(health.json.queue).toMatchObject({ ready: 0, running: 0 });

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain("[worker] stopped");
  });
});
