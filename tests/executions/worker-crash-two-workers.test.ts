import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthRoute from "../../app/api/migrations/health/route";
import { waitFor } from "../support/test-env";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { allEvents, executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import { spawnWorker, untilStarted, type WorkerProcess } from "./worker-process";

/**
 * Issue 18: two standalone worker processes share an execution; one is killed with SIGKILL while
 * it runs targets. Its targets finish on the other worker, each migration is recorded exactly once,
 * and the other targets are not run twice.
 *
 * Nothing here waits on the clock. Each tenant's first migration waits for an advisory lock named
 * after its schema, which the test holds: the targets stay inside their migration until the test
 * lets them go, and the test lets them go in the order that matters. The killed worker's targets
 * are released last, only after the surviving worker has taken them over, so the takeover meets
 * the dead worker's sessions still inside their migrations (still holding the targets' locks), the
 * case where running a migration twice would be possible if the target lock did not hold.
 */

const TENANTS = 8;
let env: ExecutionEnv;
let catalogDir: string;
let gate: pg.Client;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "crash2-catalog-"));
  mkdirSync(path.join(catalogDir, "tenant"));
  writeFileSync(
    path.join(catalogDir, "tenant/0001_accounts.sql"),
    "-- migrate:up\nSELECT pg_advisory_xact_lock_shared(hashtext(current_schema())::bigint);\nCREATE TABLE accounts (id int PRIMARY KEY);\n",
  );
  writeFileSync(path.join(catalogDir, "tenant/0002_ledger.sql"), "-- migrate:up\nCREATE TABLE ledger (id int PRIMARY KEY, account_id int REFERENCES accounts (id));\n");
  // Four slots on the one database and two targets per worker: both workers run two targets at once.
  env = await startExecutionEnv({
    regions: ["eu"],
    tenantsPerRegion: TENANTS,
    catalogDir,
    prefix: "crash2",
    worker: false,
    env: { MIGRATION_DB_CONCURRENCY: "4" },
  });
  gate = new pg.Client({ connectionString: env.fleet.shared.eu!.db.url });
  await gate.connect();
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await gate?.end().catch(() => {});
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const workerEnv = () => ({
  DATABASE_URL: env.fleet.env.controlPlane.url,
  APP_ENCRYPTION_KEY: env.fleet.env.encryptionKey,
  MIGRATIONS_DIR: catalogDir,
  ENVIRONMENT: "testing",
  MIGRATION_BATCH_SIZE: "2",
  MIGRATION_DB_CONCURRENCY: "4",
});

/** Takes (or lets go of) the gates of these tenants' first migration, on the test's own session. */
const hold = (schemas: readonly string[]) => gate.query("select pg_advisory_lock(hashtext(s)::bigint) from unnest($1::text[]) s", [schemas]);
const release = (schemas: readonly string[]) => gate.query("select pg_advisory_unlock(hashtext(s)::bigint) from unnest($1::text[]) s", [schemas]);

/** Target ids whose jobs each worker process holds right now, by the process's pid. */
async function jobsByWorker(): Promise<Map<number, string[]>> {
  const { rows } = await onDatabase<{ pid: number; target_id: string }>(
    env.fleet.env.controlPlane.url,
    `select w.pid, substr(j.key, length('target:') + 1) as target_id
       from graphile_worker.jobs j join console.workers w on j.locked_by = any(w.queue_worker_ids)
      where j.task_identifier = 'migrate_target' and j.locked_by is not null`,
  );
  const byPid = new Map<number, string[]>();
  for (const r of rows) byPid.set(r.pid, [...(byPid.get(r.pid) ?? []), r.target_id]);
  return byPid;
}

/** Migration sessions of the fleet database waiting for a tenant's gate. */
async function sessionsAtTheGate(): Promise<number> {
  const { rows } = await onDatabase<{ n: number }>(
    env.fleet.shared.eu!.db.url,
    `select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and not l.granted and a.application_name like 'infrastructure-console:%'`,
  );
  return rows[0]!.n;
}

describe("two worker processes, one killed mid-execution", () => {
  it("the survivor finishes the killed worker's targets, and every migration is recorded exactly once", async () => {
    const schemas = env.fleet.tenants.map((t) => t.schema);
    await hold(schemas);

    const a = spawnWorker(workerEnv());
    const b = spawnWorker(workerEnv());
    workers.push(a, b);
    await Promise.all([untilStarted(a), untilStarted(b)]);
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant" });

    // Both workers run two targets each, all four inside their first migration at the gate.
    const held = await waitFor(
      "each worker holding two targets inside their migration",
      async () => {
        const byPid = await jobsByWorker();
        const ready = byPid.get(a.child.pid!)?.length === 2 && byPid.get(b.child.pid!)?.length === 2 && (await sessionsAtTheGate()) === 4;
        return ready ? byPid : undefined;
      },
      60_000,
      50,
    );
    const killedTargets = held.get(a.child.pid!)!;
    const survivorTargets = held.get(b.child.pid!)!;

    a.child.kill("SIGKILL");
    expect(await a.exited).toBe("SIGKILL");
    const atKill = (await status(env.tokens.viewer, id)).json;
    expect(atKill.status).toBe("in_progress");
    const statusOf = (s: typeof atKill, target: string) => s.targets.find((t: { id: string }) => t.id === target)?.status;
    for (const t of [...killedTargets, ...survivorTargets]) expect(statusOf(atKill, t)).toBe("running");

    // Everything but the killed worker's targets may go on: the survivor runs its own and the queued ones.
    const schemaOf = new Map<string, string>(atKill.targets.map((t: { id: string; schema_name: string }) => [t.id, t.schema_name]));
    const killedSchemas = killedTargets.map((t) => schemaOf.get(t)!);
    await release(schemas.filter((s) => !killedSchemas.includes(s)));

    // The survivor notices the missing heartbeats and starts the killed worker's targets again,
    // while the dead worker's sessions are still inside their first migration.
    await waitFor(
      "the survivor to start the killed worker's targets again",
      async () => {
        const s = (await status(env.tokens.viewer, id)).json;
        const again = s.targets.filter((t: { id: string; attempts: number }) => killedTargets.includes(t.id) && t.attempts >= 2);
        return again.length === killedTargets.length ? s : undefined;
      },
      90_000,
      50,
    );
    await release(killedSchemas);

    const done = await waitForEnd(env.tokens.viewer, id, 90_000);
    expect(done.status, b.output()).toBe("completed");
    expect(done.progress).toMatchObject({ total_targets: TENANTS, completed_targets: TENANTS, failed_targets: 0 });
    for (const t of done.targets as { id: string; attempts: number; status: string }[]) {
      expect(t.status).toBe("succeeded");
      // The killed worker's targets ran again on the survivor; no other target ran twice.
      if (killedTargets.includes(t.id)) expect(t.attempts).toBeGreaterThanOrEqual(2);
      else expect(t.attempts).toBe(1);
    }

    for (const schema of schemas) {
      const { rows } = await onDatabase<{ version: string; n: number; execution_id: string }>(
        env.fleet.shared.eu!.db.url,
        `select version, count(*)::int as n, min(execution_id) as execution_id from "${schema}"._schema_migrations group by version order by version`,
      );
      expect(rows, schema).toEqual([
        { version: "0001", n: 1, execution_id: id },
        { version: "0002", n: 1, execution_id: id },
      ]);
      const { rows: tables } = await onDatabase<{ n: number }>(
        env.fleet.shared.eu!.db.url,
        `select count(*)::int as n from pg_tables where schemaname = $1 and tablename in ('accounts', 'ledger')`,
        [schema],
      );
      expect(tables[0]!.n).toBe(2);
    }
    const events = await allEvents(id);
    const finished = events.filter((e) => e.type === "target_finished").map((e) => e.payload.target_id);
    expect(finished).toHaveLength(TENANTS);
    expect(new Set(finished).size).toBe(TENANTS);
    const applied = events
      .filter((e) => e.type === "migration_finished" && e.payload.status === "applied")
      .map((e) => `${e.payload.target_id}:${e.payload.migration_id}`);
    expect(new Set(applied).size).toBe(applied.length);
    // The second migration of the killed worker's targets was applied by the survivor's attempt.
    for (const t of killedTargets) expect(applied).toContain(`${t}:tenant/0002_ledger`);

    const health = await call(healthRoute.GET, "GET", "/api/migrations/health", { token: env.tokens.viewer });
    expect(health.json.workers_alive).toBe(1);
    expect(health.json.workers.map((w: { pid: number }) => w.pid)).toEqual([b.child.pid]);
    expect(health.json.queue).toMatchObject({ ready: 0, running: 0 });

    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
  });
});
