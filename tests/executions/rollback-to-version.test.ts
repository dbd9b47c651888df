import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as baselineRoute from "../../app/api/migrations/baseline/route";
import * as toVersionRoute from "../../app/api/migrations/rollback/to-version/route";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import type { FleetTenant } from "./fleet-env";
import { executionCount, history, rollback, rollbackPlan, rollbackTenant, schemaSnapshot, tables, versions, writeCatalog } from "./rollback-fixture";

/**
 * A target back to a version: every migration applied after it, newest first; a rehearsal of that
 * leaves the target exactly as it was (its catalog snapshot, history included) while reporting the
 * real error of a down part that would fail; baselined migrations are never rolled back; and a file
 * without a down part makes every kind of rollback refuse up front, naming it, recording nothing.
 */

let env: ExecutionEnv;
let catalogDir: string;
let url: string;

beforeAll(async () => {
  catalogDir = writeCatalog();
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 0, catalogDir, prefix: "rbv" });
  url = env.fleet.shared.eu!.db.url;
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

async function atHead(slug: string): Promise<{ tenant: FleetTenant; executionId: string }> {
  const [tenant] = await env.fleet.addTenants("eu", [slug]);
  const executionId = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [tenant!.id] });
  expect((await waitForEnd(env.tokens.viewer, executionId)).status).toBe("completed");
  return { tenant: tenant!, executionId };
}

const toVersion = (body: Record<string, unknown>, token = env.tokens.operator) =>
  call(toVersionRoute.POST, "POST", "/api/migrations/rollback/to-version", { token, body });

describe("rolling a target back to a version", () => {
  it("undoes every migration applied after it, newest first, and nothing before it", async () => {
    const { tenant, executionId } = await atHead("tv-a");
    await onDatabase(url, `insert into "${tenant.schema}".accounts values (1, 'kept')`);

    const plan = await rollbackPlan(env.tokens.viewer, { database_id: tenant.connectionId, tenant_id: tenant.id, to_version: "1" });
    expect(plan.status, plan.text).toBe(200);
    expect(plan.json.targets[0].migrations.map((m: { id: string }) => m.id)).toEqual(["tenant/0003_notes", "tenant/0002_contacts"]);

    const res = await rollbackTenant(env.tokens.operator, tenant.id, { to_version: "0001" });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ kind: "rollback", scope: "single", metadata: { to_version: "0001" } });
    const done = await waitForEnd(env.tokens.viewer, res.json.id);
    expect(done.status).toBe("completed");
    expect(done.targets[0].migrations.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
      ["tenant/0003_notes", "rolled_back"],
      ["tenant/0002_contacts", "rolled_back"],
    ]);
    expect(await history(url, tenant)).toEqual([["0001", executionId, "applied"]]);
    expect(await tables(url, tenant)).toEqual(["accounts"]);
    expect((await onDatabase(url, `select name from "${tenant.schema}".accounts`)).rows).toEqual([{ name: "kept" }]);
    // The execution that applied them is not marked: what it applied was undone another way.
    expect((await status(env.tokens.viewer, executionId)).json.status).toBe("completed");

    // Nothing after 0001 any more; 0 takes the rest (the general route, naming the schema).
    expect((await rollbackTenant(env.tokens.operator, tenant.id, { to_version: "0001" })).status).toBe(409);
    const all = await toVersion({ database_id: tenant.connectionId, schema_name: tenant.schema, to_version: "0" });
    expect(all.status, all.text).toBe(202);
    expect((await waitForEnd(env.tokens.viewer, all.json.id)).status).toBe("completed");
    expect(await history(url, tenant)).toEqual([]);
  });

  it("rehearsed, runs the down parts and rolls them back: the target is identical after, and a failing down part shows its real error", async () => {
    const { tenant } = await atHead("tv-r");
    await onDatabase(url, `insert into "${tenant.schema}".accounts values (1, 'a'); insert into "${tenant.schema}".contacts values (1, 1)`);
    const before = await schemaSnapshot(url, [tenant]);

    const clean = await rollbackTenant(env.tokens.operator, tenant.id, { to_version: "0001", dry_run: true });
    expect(clean.status, clean.text).toBe(202);
    expect(clean.json.dry_run).toBe(true);
    const rehearsed = await waitForEnd(env.tokens.viewer, clean.json.id);
    expect(rehearsed.status).toBe("completed");
    expect(rehearsed.targets[0].migrations.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
      ["tenant/0003_notes", "would_revert"],
      ["tenant/0002_contacts", "would_revert"],
    ]);
    expect(await schemaSnapshot(url, [tenant])).toEqual(before);

    // A view someone built on contacts: dropping the table would fail, and the rehearsal says so.
    await onDatabase(url, `create view "${tenant.schema}".contact_names as select id from "${tenant.schema}".contacts`);
    const withView = await schemaSnapshot(url, [tenant]);
    const failing = await rollbackTenant(env.tokens.operator, tenant.id, { to_version: "0001", dry_run: true });
    const failed = await waitForEnd(env.tokens.viewer, failing.json.id);
    expect(failed.status).toBe("failed");
    const [notes, contacts] = failed.targets[0].migrations;
    expect(notes.status).toBe("would_revert");
    expect(contacts).toMatchObject({ status: "would_fail", error: { code: "2BP01", file: "tenant/0002_contacts.sql" } });
    expect(failed.targets[0].error.message).toContain("depend");
    expect(await schemaSnapshot(url, [tenant])).toEqual(withView);
    expect(await versions(url, tenant)).toEqual(["0001", "0002", "0003"]);
  });

  it("never rolls back a baselined migration: refused up front naming the file, nothing recorded", async () => {
    const [tenant] = await env.fleet.addTenants("eu", ["tv-b"]);
    // A schema built before the console: its objects exist, the operator baselines them.
    await onDatabase(url, `create table "${tenant!.schema}".accounts (id int primary key, name text); create table "${tenant!.schema}".contacts (id int primary key, account_id int references "${tenant!.schema}".accounts (id))`);
    const marked = await call(baselineRoute.POST, "POST", "/api/migrations/baseline", {
      token: env.tokens.operator,
      body: { scope: "single", database_id: tenant!.connectionId, tenant_id: tenant!.id, to_version: "0002" },
    });
    expect(marked.status, marked.text).toBe(200);
    const executionId = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [tenant!.id] });
    expect((await waitForEnd(env.tokens.viewer, executionId)).status).toBe("completed");
    const count = await executionCount(env.fleet.env.controlPlane.url);

    for (const dryRun of [false, true]) {
      const refused = await rollbackTenant(env.tokens.operator, tenant!.id, { to_version: "0001", dry_run: dryRun });
      expect(refused.status).toBe(409);
      expect(refused.json.message).toContain("tenant/0002_contacts.sql was baselined");
      expect(refused.json.details.baselined).toEqual(["tenant/0002_contacts.sql"]);
    }
    const plan = await rollbackPlan(env.tokens.viewer, { database_id: tenant!.connectionId, tenant_id: tenant!.id, to_version: "0" });
    expect(plan.json.can_roll_back).toBe(false);
    expect(plan.json.refusals).toEqual([
      expect.objectContaining({ code: "baselined", files: ["tenant/0002_contacts.sql", "tenant/0001_accounts.sql"] }),
    ]);
    expect(await executionCount(env.fleet.env.controlPlane.url)).toBe(count);

    // After the baselined ones: allowed. The execution's own migration goes, the baseline stays.
    const allowed = await rollbackTenant(env.tokens.operator, tenant!.id, { to_version: "0002" });
    expect(allowed.status, allowed.text).toBe(202);
    expect((await waitForEnd(env.tokens.viewer, allowed.json.id)).status).toBe("completed");
    expect(await history(url, tenant!)).toEqual([
      ["0001", null, "baselined"],
      ["0002", null, "baselined"],
    ]);
  });

  it("refuses bad input with 422 naming the field, and a viewer with 403", async () => {
    const [tenant] = await env.fleet.addTenants("eu", ["tv-bad"]);
    const bad = await rollbackTenant(env.tokens.operator, tenant!.id, { to_version: "v2" });
    expect(bad.status).toBe(422);
    expect(bad.json.details.fields[0].field).toBe("to_version");
    const both = await toVersion({ database_id: tenant!.connectionId, schema_name: tenant!.schema, tenant_id: tenant!.id, to_version: "1" });
    expect(both.status).toBe(422);
    expect(both.json.details.fields[0].field).toBe("tenant_id");
    const missing = await toVersion({ database_id: tenant!.connectionId, tenant_id: tenant!.id });
    expect(missing.status).toBe(422);
    expect(missing.json.details.fields[0].field).toBe("to_version");
    expect((await rollbackTenant(env.tokens.viewer, tenant!.id, { to_version: "1" })).status).toBe(403);
  });
});

describe("irreversible migrations", () => {
  it("make every rollback that would undo them refuse up front, naming the files; nothing is recorded", async () => {
    writeFileSync(path.join(catalogDir, "tenant/0004_audit.sql"), "-- migrate:up\nCREATE TABLE audit (at timestamptz);\n-- migrate:down\n");
    writeFileSync(path.join(catalogDir, "tenant/0005_flags.sql"), "-- migrate:up\nCREATE TABLE flags (name text);\n");
    resetCatalogStore();
    const { tenant, executionId } = await atHead("tv-i");
    expect(await versions(url, tenant)).toEqual(["0001", "0002", "0003", "0004", "0005"]);
    const count = await executionCount(env.fleet.env.controlPlane.url);

    const files = ["tenant/0005_flags.sql", "tenant/0004_audit.sql"];
    const ofExecution = await rollback(env.tokens.operator, { execution_id: executionId });
    expect(ofExecution.status).toBe(409);
    expect(ofExecution.json.message).toContain(`no down part in ${files.join(", ")}`);
    expect(ofExecution.json.details.files_without_down).toEqual(files);
    const rehearsal = await rollback(env.tokens.operator, { execution_id: executionId, dry_run: true });
    expect(rehearsal.status).toBe(409);
    const toThree = await rollbackTenant(env.tokens.operator, tenant.id, { to_version: "0003" });
    expect(toThree.status).toBe(409);
    expect(toThree.json.details.files_without_down).toEqual(files);
    const plan = await rollbackPlan(env.tokens.viewer, { execution_id: executionId });
    expect(plan.json).toMatchObject({ can_roll_back: false, refusals: [{ code: "irreversible", files }] });
    expect(await executionCount(env.fleet.env.controlPlane.url)).toBe(count);
    expect(await versions(url, tenant)).toEqual(["0001", "0002", "0003", "0004", "0005"]);

    // Back to a version after them is fine.
    const toFive = await rollbackTenant(env.tokens.operator, tenant.id, { to_version: "0005" });
    expect(toFive.status).toBe(409);
    expect(toFive.json.message).toContain("records no migration after version 0005");
  });
});
