import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "../support/test-env";
import { onDatabase } from "../support/database";
import { allEvents, execute, executeOrThrow, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/**
 * Cross-target requirements inside one execution: a tenant whose migration needs its region's
 * shared migration waits for the shared target instead of failing, fails with a clear reason when
 * the shared target fails, and gives up after MIGRATION_TIMEOUT of waiting.
 */

let env: ExecutionEnv;
let catalogDir: string;

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "deps-catalog-"));
  mkdirSync(path.join(catalogDir, "shared"));
  mkdirSync(path.join(catalogDir, "tenant"));
  // Slow, with a file timeout of its own well above MIGRATION_TIMEOUT in the last test.
  writeFileSync(
    path.join(catalogDir, "shared/0001_rates.sql"),
    "-- timeout: 20s\n-- migrate:up\nSELECT pg_sleep(2.5);\nCREATE TABLE rates (code text PRIMARY KEY);\n",
  );
  writeFileSync(
    path.join(catalogDir, "tenant/0001_orders.sql"),
    "-- requires: shared/0001_rates\n-- migrate:up\nCREATE TABLE orders (id int, rate text REFERENCES rates (code));\n",
  );
  env = await startExecutionEnv({ regions: ["eu", "us", "ap", "sa"], tenantsPerRegion: 2, catalogDir, prefix: "deps" });
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

describe("a tenant that needs its region's shared migration", () => {
  it("waits for the shared target in the same execution, and fails with the reason when that one fails", async () => {
    // us: its shared database already has `rates`, so its shared migration fails.
    await onDatabase(env.fleet.shared.us!.db.url, "create table public.rates (code text primary key)");
    const id = await executeOrThrow(env.tokens.operator, { scope: "regional", region: "eu" });
    const other = await executeOrThrow(env.tokens.operator, { scope: "regional", region: "us" });

    const eu = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(eu.status).toBe("completed");
    const shared = eu.targets.find((t: { database_type: string }) => t.database_type === "shared");
    const tenants = eu.targets.filter((t: { database_type: string }) => t.database_type === "tenant");
    for (const t of tenants) expect(t.depends_on).toEqual([shared.id]);
    const events = await allEvents(id);
    const sharedDone = events.find((e) => e.type === "target_finished" && e.payload.target_id === shared.id)!.id;
    for (const t of tenants) {
      const waited = events.find((e) => e.type === "target_waiting" && e.payload.target_id === t.id);
      expect(waited?.payload.waiting_for).toEqual([expect.objectContaining({ target_id: shared.id, target: "shared-eu/public" })]);
      const started = events.find((e) => e.type === "target_started" && e.payload.target_id === t.id)!.id;
      expect(started).toBeGreaterThan(sharedDone);
      expect(t).toMatchObject({ status: "succeeded", attempts: 1 });
    }

    const us = await waitForEnd(env.tokens.viewer, other, 60_000);
    expect(us.status).toBe("failed");
    expect(us.progress).toMatchObject({ completed_targets: 0, failed_targets: 3 });
    for (const t of us.targets.filter((t: { database_type: string }) => t.database_type === "tenant")) {
      expect(t).toMatchObject({ status: "failed", attempts: 0, error: { code: "dependency_failed" } });
      expect(t.error.message).toContain("shared-us/public failed");
    }
  });

  it("a tenant scope blocked by its shared target runs once it takes in what it needs: the shared target first, then the tenant", async () => {
    const [tenant, other] = env.fleet.tenants.filter((t) => t.region === "sa");
    const blocked = await execute(env.tokens.operator, { scope: "tenant", tenant_ids: [tenant!.id], dry_run: true });
    expect(blocked.status).toBe(202);
    expect((await waitForEnd(env.tokens.viewer, blocked.json.id)).targets[0].error.code).toBe("blocked");

    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [tenant!.id], include_providers: true });
    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status).toBe("completed");
    expect(done.params).toMatchObject({ tenant_ids: [tenant!.id], include_providers: true });
    expect(done.targets.map((t: { connection_name: string; schema_name: string }) => `${t.connection_name}/${t.schema_name}`)).toEqual([
      "shared-sa/public",
      `${done.targets[1].connection_name}/${tenant!.schema}`,
    ]);
    expect(done.targets[1]).toMatchObject({ status: "succeeded", depends_on: [done.targets[0].id] });
    // Only what was asked for and what it needed: the region's other tenant is untouched.
    const { rows } = await onDatabase(env.fleet.shared.sa!.db.url, `select count(*)::int as n from information_schema.tables where table_schema = '${other!.schema}'`);
    expect(rows[0]?.n).toBe(0);
  });

  it("gives up after MIGRATION_TIMEOUT of waiting; the shared target itself finishes within its file's timeout", async () => {
    setEnv({ MIGRATION_TIMEOUT: "1" });
    try {
      const id = await executeOrThrow(env.tokens.operator, { scope: "regional", region: "ap" });
      const done = await waitForEnd(env.tokens.viewer, id, 60_000);
      expect(done.status).toBe("failed");
      expect(done.targets.find((t: { database_type: string }) => t.database_type === "shared").status).toBe("succeeded");
      for (const t of done.targets.filter((t: { database_type: string }) => t.database_type === "tenant")) {
        expect(t).toMatchObject({ status: "failed", attempts: 0, error: { code: "dependency_timeout" } });
        expect(t.error.message).toContain("shared-ap/public");
      }
    } finally {
      setEnv({ MIGRATION_TIMEOUT: "300" });
    }
  });
});
