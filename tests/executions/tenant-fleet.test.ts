import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../server/migrations/engine/catalog";
import type { Catalog } from "../../server/migrations/engine/types";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { onDatabase } from "../support/database";
import { allEvents, execute, executeOrThrow, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import type { FleetTenant } from "./fleet-env";

/**
 * Issue 6, acceptance 1: scope `tenant` over 50 tenant schemas through the real execute path
 * (route → plan → execution rows → graphile-worker jobs → engine), then a second 50 where one
 * tenant already has a table the catalog creates: that target fails with PostgreSQL's error and
 * the file line, the other 49 succeed, and the execution ends `failed` with 49/1.
 */

let env: ExecutionEnv;
let catalog: Catalog;

beforeAll(async () => {
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 50, prefix: "ten" });
  catalog = await loadCatalog(EXAMPLES_DIR);
});

afterAll(() => stopExecutionEnv(env));

async function historyOf(t: FleetTenant) {
  const { rows } = await onDatabase<{ version: string; checksum: string; n: number; state: string }>(
    env.fleet.shared[t.region]!.db.url,
    `select version, checksum, state, count(*) over (partition by version)::int as n from "${t.schema}"._schema_migrations order by version`,
  );
  return rows;
}

describe("scope tenant over 50 tenant schemas", () => {
  it("first the providers: the admin and the region's shared database, one database each (scope single)", async () => {
    for (const db of [env.fleet.admin, env.fleet.shared.eu!]) {
      const id = await executeOrThrow(env.tokens.operator, { scope: "single", database_id: db.id });
      const done = await waitForEnd(env.tokens.operator, id);
      expect(done.status, JSON.stringify(done.targets[0]?.error)).toBe("completed");
    }
  });

  it("applies the tenant tier everywhere; every history row matches the catalog, exactly once", async () => {
    const res = await execute(env.tokens.operator, { scope: "tenant" });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ kind: "migrate", scope: "tenant", status: "in_progress", executed_by: "operator" });
    expect(res.json.progress.total_targets).toBe(50);
    const done = await waitForEnd(env.tokens.operator, res.json.id, 120_000);
    expect(done.status).toBe("completed");
    expect(done.progress).toMatchObject({ total_targets: 50, completed_targets: 50, failed_targets: 0, completion_percentage: 100 });
    expect(done.completed_at).not.toBeNull();
    for (const target of done.targets) {
      expect(target).toMatchObject({ status: "succeeded", attempts: 1, error: null });
      expect(target.migrations.map((m: { status: string }) => m.status)).toEqual(catalog.byTier.tenant.map(() => "applied"));
      for (const m of target.migrations) expect(m.duration_ms).toBeGreaterThanOrEqual(0);
    }
    const expected = catalog.byTier.tenant.map((m) => ({ version: m.version, checksum: m.checksum, state: "applied", n: 1 }));
    for (const t of env.fleet.tenants) expect(await historyOf(t)).toEqual(expected);

    const types = (await allEvents(res.json.id)).map((e) => e.type);
    expect(types[0]).toBe("execution_created");
    expect(types.at(-1)).toBe("execution_finished");
    expect(types.filter((t) => t === "target_finished")).toHaveLength(50);
    expect(types.filter((t) => t === "migration_finished")).toHaveLength(50 * catalog.byTier.tenant.length);
  });

  it("a second run finds nothing to do and records no targets", async () => {
    const res = await execute(env.tokens.operator, { scope: "tenant" });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "completed", targets: [], progress: { total_targets: 0 } });
    expect(res.json.plan_totals).toMatchObject({ targets: 50, up_to_date: 50 });
  });

  it("one tenant that already has `accounts` fails with 42P07 at its file and line; the other 49 succeed", async () => {
    const batch = await env.fleet.addTenants(
      "eu",
      Array.from({ length: 50 }, (_, i) => `b-${String(i).padStart(2, "0")}`),
    );
    const conflicted = batch[17]!;
    await onDatabase(env.fleet.shared.eu!.db.url, `create table "${conflicted.schema}".accounts (id int)`);

    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: batch.map((t) => t.id) });
    const done = await waitForEnd(env.tokens.operator, id, 120_000);
    expect(done.status).toBe("failed");
    expect(done.progress).toMatchObject({ total_targets: 50, completed_targets: 49, failed_targets: 1, skipped_targets: 0 });
    expect(done.error_message).toContain("1 of 50 targets did not succeed");

    const failed = done.targets.filter((t: { status: string }) => t.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      schema_name: conflicted.schema,
      attempts: 1,
      error: { code: "42P07", file: "tenant/0001_accounts.sql", line: 4, transient: false },
    });
    expect(failed[0].error.message).toContain('relation "accounts" already exists');
    expect(failed[0].error.statement).toContain("CREATE TABLE accounts");
    expect(failed[0].migrations.map((m: { status: string }) => m.status)).toEqual([
      "failed",
      ...catalog.byTier.tenant.slice(1).map(() => "pending"),
    ]);

    expect(await historyOf(conflicted)).toEqual([]);
    for (const t of batch.filter((b) => b !== conflicted)) expect(await historyOf(t)).toHaveLength(catalog.byTier.tenant.length);
  });
});
