import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onDatabase } from "../support/database";
import { executeOrThrow, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import { spawnWorker, untilStarted, type WorkerProcess } from "./worker-process";

/**
 * A standalone worker on a machine of its own, in production: its environment holds the control
 * plane, the encryption key, the catalog and the fleet's hosts, and nothing of the console's
 * sign-in (no KEYCLOAK_*, no AUTH_SECRET). It starts and runs an execution's targets, its sessions
 * untouched by libpq variables of the shell it was started from.
 */

let env: ExecutionEnv;
let catalogDir: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "prod-worker-catalog-"));
  mkdirSync(path.join(catalogDir, "tenant"));
  writeFileSync(path.join(catalogDir, "tenant/0001_accounts.sql"), "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n");
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 2, catalogDir, prefix: "prodworker", worker: false });
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const productionWorkerEnv = () => ({
  ENVIRONMENT: "production",
  DATABASE_URL: env.fleet.env.controlPlane.url,
  APP_ENCRYPTION_KEY: env.fleet.env.encryptionKey,
  MIGRATIONS_DIR: catalogDir,
  ALLOWED_DATABASE_HOSTS: "127.0.0.1,localhost",
});

describe("a production worker", () => {
  it("refuses to start without the encryption key, naming it and nothing it does not need", async () => {
    const { APP_ENCRYPTION_KEY: _key, ...withoutKey } = productionWorkerEnv();
    const worker = spawnWorker(withoutKey, { only: true });
    workers.push(worker);
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toContain("APP_ENCRYPTION_KEY: required when ENVIRONMENT=production");
    expect(worker.output()).not.toMatch(/KEYCLOAK|AUTH_SECRET/);
  });

  it("runs an execution with only the control plane, the key, the catalog and the fleet's hosts", async () => {
    // An operator's shell may hold libpq settings meant for psql: node-postgres would send them
    // with every session, and this one would make every migration (and the queue) fail.
    const worker = spawnWorker({ ...productionWorkerEnv(), PGOPTIONS: "-c default_transaction_read_only=on" }, { only: true });
    workers.push(worker);
    await untilStarted(worker);
    expect(worker.output()).toContain("ignoring PGOPTIONS from the environment");
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant" });
    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status, worker.output()).toBe("completed");
    expect(done.progress).toMatchObject({ total_targets: 2, completed_targets: 2, failed_targets: 0 });
    for (const t of env.fleet.tenants) {
      const { rows } = await onDatabase<{ n: number }>(
        env.fleet.shared.eu!.db.url,
        `select count(*)::int as n from pg_tables where schemaname = $1 and tablename = 'accounts'`,
        [t.schema],
      );
      expect(rows[0]!.n, t.schema).toBe(1);
    }
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
