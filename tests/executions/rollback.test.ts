import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as listRoute from "../../app/api/migrations/route";
import * as rollbackRoute from "../../app/api/migrations/rollback/route";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { snapshotSchemas } from "../engine/engine-fixture";
import { call } from "../support/api-call";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { allEvents, executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/**
 * Issue 6, acceptance 5: a rollback returns every target's schema to its catalog state before the
 * execution, across targets in reverse dependency order (tenants before the shared database their
 * invoices point into), and the original then reads `rolled_back`. Refusals name the reason.
 */

let env: ExecutionEnv;
let catalogDir: string;

/** The example catalog without its newest files; `grow()` adds them. */
const LATER = ["admin/0003_tenant_flag_overrides.sql", "shared/0003_exchange_rates.sql", "tenant/0004_invoice_lines.sql", "tenant/0005_invoices_due_date_index.sql", "tenant/0006_accounts_plan.sql"];

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "rollback-catalog-"));
  cpSync(EXAMPLES_DIR, catalogDir, { recursive: true });
  for (const f of LATER) rmSync(path.join(catalogDir, f));
  rmSync(path.join(catalogDir, "analytics"), { recursive: true });
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 3, catalogDir, prefix: "rb" });
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

function grow() {
  for (const f of LATER) cpSync(path.join(EXAMPLES_DIR, f), path.join(catalogDir, f));
  resetCatalogStore();
}

const rollback = (executionId: string, token = env.tokens.operator) =>
  call(rollbackRoute.POST, "POST", "/api/migrations/rollback", { token, body: { execution_id: executionId } });

/**
 * The fleet's schemas as comparable data. A dropped column stays in pg_attribute as a
 * "........pg.dropped.N........" entry (and in relnatts): PostgreSQL's bookkeeping, not schema,
 * so it is left out. `withHistory: false` also leaves out the engine's history table.
 */
async function fleetSnapshot(opts: { withHistory: boolean }) {
  const schemas = ["public", ...env.fleet.tenants.map((t) => t.schema)];
  const snaps = await Promise.all([env.fleet.admin.db.url, env.fleet.shared.eu!.db.url].map((u) => snapshotSchemas(u, schemas)));
  const history = (name: string) => name.includes("_schema_migrations");
  return snaps.map((s) => ({
    namespaces: s.namespaces,
    relations: s.relations.filter((r) => opts.withHistory || !history(r.relname)).map(({ relnatts: _n, ...r }) => r),
    columns: s.columns.filter((c) => !c.attisdropped && (opts.withHistory || !history(c.rel))).map(({ attnum: _a, ...c }) => c),
    indexes: s.indexes.filter((i) => opts.withHistory || !history(i.name)),
    constraints: s.constraints.filter((c) => opts.withHistory || !history(c.conname)),
    functions: s.functions,
    rowCounts: Object.fromEntries(Object.entries(s.rowCounts).filter(([k]) => opts.withHistory || !history(k))),
  }));
}

describe("rollback", () => {
  it("from nothing: undoes a whole `all` execution, tenants before the shared target they depend on", async () => {
    const before = await fleetSnapshot({ withHistory: false });
    const original = await executeOrThrow(env.tokens.operator, { scope: "all" });
    expect((await waitForEnd(env.tokens.viewer, original)).status).toBe("completed");

    // Rehearsed first: the shared target rehearses its tenants' down parts before its own, inside
    // one transaction (the currencies their invoices point at could not be dropped otherwise).
    const applied = await fleetSnapshot({ withHistory: true });
    const rehearsal = await call(rollbackRoute.POST, "POST", "/api/migrations/rollback", {
      token: env.tokens.operator,
      body: { execution_id: original, dry_run: true },
    });
    expect(rehearsal.status, rehearsal.text).toBe(202);
    const rehearsed = await waitForEnd(env.tokens.viewer, rehearsal.json.id);
    expect(rehearsed.status, JSON.stringify(rehearsed.targets.map((t: { error: unknown }) => t.error))).toBe("completed");
    for (const t of rehearsed.targets) expect(t.migrations.every((m: { status: string }) => m.status === "would_revert")).toBe(true);
    expect(await fleetSnapshot({ withHistory: true })).toEqual(applied);

    const res = await rollback(original);
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ kind: "rollback", metadata: { rollback_of: original } });
    const shared = res.json.targets.find((t: { database_type: string }) => t.database_type === "shared");
    const tenantIds = res.json.targets.filter((t: { database_type: string }) => t.database_type === "tenant").map((t: { id: string }) => t.id);
    expect([...shared.depends_on].sort()).toEqual([...tenantIds].sort());

    const done = await waitForEnd(env.tokens.viewer, res.json.id);
    expect(done.status).toBe("completed");
    for (const t of done.targets) expect(t.migrations.every((m: { status: string }) => m.status === "rolled_back")).toBe(true);
    expect((await status(env.tokens.viewer, original)).json.status).toBe("rolled_back");
    // The original's page finds its rollback by asking for exactly that.
    const found = await call(listRoute.GET, "GET", "/api/migrations", { token: env.tokens.viewer, query: { rollback_of: original } });
    expect(found.json.executions.map((x: { id: string }) => x.id)).toEqual([res.json.id, rehearsal.json.id]);

    const events = await allEvents(res.json.id);
    const sharedStart = events.find((e) => e.type === "target_started" && e.payload.target_id === shared.id)!.id;
    const tenantEnds = events.filter((e) => e.type === "target_finished" && tenantIds.includes(e.payload.target_id)).map((e) => e.id);
    expect(Math.max(...tenantEnds)).toBeLessThan(sharedStart);

    expect(await fleetSnapshot({ withHistory: false })).toEqual(before);
    // A rolled-back execution cannot be rolled back again.
    const again = await rollback(original);
    expect(again.status).toBe(409);
    expect(again.json.message).toContain("already rolled back");
  });

  it("after an upgrade: undoes exactly what the second execution applied, back to the state the first one left", async () => {
    const first = await executeOrThrow(env.tokens.operator, { scope: "all" });
    expect((await waitForEnd(env.tokens.viewer, first)).status).toBe("completed");
    const afterFirst = await fleetSnapshot({ withHistory: true });

    grow();
    const second = await executeOrThrow(env.tokens.operator, { scope: "all" });
    const upgraded = await waitForEnd(env.tokens.viewer, second);
    expect(upgraded.status).toBe("completed");
    const tenant = upgraded.targets.find((t: { database_type: string }) => t.database_type === "tenant");
    expect(tenant.migrations.map((m: { id: string }) => m.id)).toEqual([
      "tenant/0004_invoice_lines",
      "tenant/0005_invoices_due_date_index",
      "tenant/0006_accounts_plan",
    ]);

    const res = await rollback(second);
    expect(res.status, res.text).toBe(202);
    expect((await waitForEnd(env.tokens.viewer, res.json.id)).status).toBe("completed");
    expect((await status(env.tokens.viewer, second)).json.status).toBe("rolled_back");
    expect((await status(env.tokens.viewer, first)).json.status).toBe("completed");
    // History tables included: their rows of the second execution are gone, the first's remain.
    expect(await fleetSnapshot({ withHistory: true })).toEqual(afterFirst);
  });

  it("is refused up front, naming why: not completed, a rehearsal, a file without a down part", async () => {
    const rehearsal = await executeOrThrow(env.tokens.operator, { scope: "all", dry_run: true });
    await waitForEnd(env.tokens.viewer, rehearsal);
    const r1 = await rollback(rehearsal);
    expect(r1.status).toBe(409);
    expect(r1.json.message).toContain("rehearsal");

    writeFileSync(path.join(catalogDir, "tenant/0007_audit.sql"), "-- migrate:up\nCREATE TABLE audit (at timestamptz);\n");
    resetCatalogStore();
    const applied = await executeOrThrow(env.tokens.operator, { scope: "tenant" });
    expect((await waitForEnd(env.tokens.viewer, applied)).status).toBe("completed");
    const r2 = await rollback(applied);
    expect(r2.status).toBe(409);
    expect(r2.json.message).toContain("no down part in tenant/0007_audit.sql");
    expect(r2.json.details.files_without_down).toEqual(["tenant/0007_audit.sql"]);

    const nothing = await executeOrThrow(env.tokens.operator, { scope: "tenant" });
    await waitForEnd(env.tokens.viewer, nothing);
    expect((await rollback(nothing)).json.message).toContain("applied no migration");

    expect((await rollback(applied, env.tokens.viewer)).status).toBe(403);
    expect((await rollback("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});
