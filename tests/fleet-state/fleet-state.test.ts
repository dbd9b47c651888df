import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fleetStateRoute from "../../app/api/migrations/fleet-state/route";
import * as planRoute from "../../app/api/migrations/dynamic/plan/route";
import * as baselineRoute from "../../app/api/migrations/baseline/route";
import * as acceptDriftRoute from "../../app/api/migrations/drift/accept/route";
import * as rollbackRoute from "../../app/api/migrations/rollback/route";
import * as tenantsRoute from "../../app/api/tenants/route";
import * as tenantMigrationsRoute from "../../app/api/tenants/[id]/migrations/route";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { adoptionCatalog } from "../adoption/adoption-fixture";
import { executeOrThrow, waitForEnd } from "../executions/exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";
import type { FleetTenant } from "../executions/fleet-env";

/**
 * The fleet state store on a real fleet: what a target's job, a plan, a baseline, a rollback and a
 * resolve leave in it, read back through GET /api/tenants (version and pending columns, the state
 * filters, sorting, paging) and GET /api/migrations/fleet-state (per tier and region), and the
 * catalog's head compared when reading: a new file makes tenants behind without any write.
 *
 * The catalog starts at tenant 0004 (four tenant migrations); `grow()` adds 0005 and 0006.
 */

let env: ExecutionEnv;
let catalog: ReturnType<typeof adoptionCatalog>;
let eu: FleetTenant[];
let us: FleetTenant[];

beforeAll(async () => {
  catalog = adoptionCatalog();
  env = await startExecutionEnv({ regions: ["eu", "us"], tenantsPerRegion: 0, catalogDir: catalog.dir, prefix: "fstate" });
  eu = await env.fleet.addTenants("eu", ["e0", "e1", "e2", "e3", "e4", "e5"]);
  us = await env.fleet.addTenants("us", ["u0", "u1", "u2"]);
});

afterAll(async () => {
  await stopExecutionEnv(env);
  catalog.remove();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
type Json = any;

async function tenants(query: Record<string, string> = {}, token = env.tokens.viewer): Promise<Json> {
  const res = await call(tenantsRoute.GET, "GET", "/api/tenants", { token, query });
  expect(res.status, res.text).toBe(200);
  return res.json;
}
const slugs = (list: Json) => list.items.map((t: Json) => t.slug).sort();
const bySlug = async (slug: string) => (await tenants({ search: slug })).items.find((t: Json) => t.slug === slug);

async function fleetState(query: Record<string, string> = {}): Promise<Json> {
  const res = await call(fleetStateRoute.GET, "GET", "/api/migrations/fleet-state", { token: env.tokens.viewer, query });
  expect(res.status, res.text).toBe(200);
  return res.json;
}
const group = (state: Json, tier: string, region: string | null) =>
  state.groups.find((g: Json) => g.tier === tier && g.region === region);

async function run(body: Record<string, unknown>): Promise<Json> {
  return waitForEnd(env.tokens.operator, await executeOrThrow(env.tokens.operator, body), 120_000);
}

describe("before the console has read any target", () => {
  it("lists every tenant as never read, and counts every active target as unknown", async () => {
    const all = await tenants({ limit: "100" });
    expect(all.total).toBe(9);
    expect(all.items.every((t: Json) => t.migration_state === null)).toBe(true);
    expect(slugs(await tenants({ state: "unknown", limit: "100" }))).toHaveLength(9);
    expect((await tenants({ state: "behind" })).total).toBe(0);

    const state = await fleetState();
    expect(state.catalog).toMatchObject({ available: true });
    expect(state.catalog.tiers.find((t: Json) => t.tier === "tenant")).toEqual({ tier: "tenant", migrations: 4, head: "0004", broken: false });
    // admin, shared-eu, shared-us and nine tenants.
    expect(state.totals).toMatchObject({ targets: 12, unknown: 12, at_head: 0, behind: 0 });
  });
});

describe("what runs, plans, baselines and resolves record", () => {
  it("a target's job records the version it reached; the admin and shared targets at head", async () => {
    for (const body of [{ scope: "admin" }, { scope: "single", database_id: env.fleet.shared.eu!.id }, { scope: "single", database_id: env.fleet.shared.us!.id }]) {
      expect((await run(body)).status).toBe("completed");
    }
    const done = await run({ scope: "tenant", tenant_ids: [eu[0]!.id, eu[1]!.id, eu[2]!.id, us[0]!.id] });
    expect(done.status).toBe("completed");

    for (const t of [eu[0]!, us[0]!]) {
      const row = await bySlug(t.slug);
      expect(row.migration_state).toMatchObject({
        version: "0004",
        applied: 4,
        pending: 0,
        head: "0004",
        at_head: true,
        blocked: null,
        last_run: { execution_id: done.id, kind: "migrate", status: "succeeded", error: null },
      });
    }
    const state = await fleetState();
    expect(group(state, "admin", null)).toMatchObject({ targets: 1, at_head: 1, behind: 0, unknown: 0 });
    expect(group(state, "shared", "eu")).toMatchObject({ targets: 1, at_head: 1 });
    expect(group(state, "tenant", "eu")).toMatchObject({ targets: 6, at_head: 3, behind: 0, unknown: 3 });
  });

  it("an execution keeps what it covers and the range it runs, for its title", async () => {
    const single = await run({ scope: "single", database_id: env.fleet.shared.eu!.id, tenant_id: eu[5]!.id, dry_run: true });
    expect(single.metadata).toMatchObject({
      subject: "e5 on shared-eu",
      migrations: { count: 4, first: { id: "tenant/0001_accounts", tier: "tenant", version: "0001" }, last: { id: "tenant/0004_invoice_lines" } },
    });
  });

  it("a target that fails keeps its version, counts as failed last run and carries the error", async () => {
    await onDatabase(env.fleet.shared.eu!.db.url, `create table "${eu[3]!.schema}".invoices (id int)`);
    const done = await run({ scope: "tenant", tenant_ids: [eu[3]!.id] });
    expect(done.status).toBe("failed");

    const row = await bySlug("e3");
    expect(row.migration_state).toMatchObject({
      version: "0002",
      applied: 2,
      pending: 2,
      at_head: false,
      last_run: { execution_id: done.id, status: "failed", error: { code: "42P07", file: "tenant/0003_invoices.sql" } },
    });
    expect(row.migration_state.last_run.error.message).toContain('relation "invoices" already exists');
    expect(slugs(await tenants({ state: "failed" }))).toEqual(["e3"]);
  });

  it("a plan records every target it read: the tenants never run become behind, not unknown", async () => {
    const res = await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token: env.tokens.viewer, query: { scope: "tenant", limit: "1" } });
    expect(res.status, res.text).toBe(200);
    expect((await tenants({ state: "unknown" })).total).toBe(0);
    expect(slugs(await tenants({ state: "behind", limit: "100" }))).toEqual(["e3", "e4", "e5", "u1", "u2"]);
    expect(slugs(await tenants({ state: "at_head", limit: "100" }))).toEqual(["e0", "e1", "e2", "u0"]);
    const never = await bySlug("u1");
    expect(never.migration_state).toMatchObject({ version: null, applied: 0, pending: 4, last_run: null });
  });

  it("filters combine with region, and a filtered list is paged with its exact total", async () => {
    expect(slugs(await tenants({ state: "behind", region: "us" }))).toEqual(["u1", "u2"]);
    const first = await tenants({ state: "behind", limit: "2", offset: "0" });
    const rest = await tenants({ state: "behind", limit: "2", offset: "2" });
    const last = await tenants({ state: "behind", limit: "2", offset: "4" });
    expect([first.total, rest.total, last.total]).toEqual([5, 5, 5]);
    expect([first.items.length, rest.items.length, last.items.length]).toEqual([2, 2, 1]);
    expect([...slugs(first), ...slugs(rest), ...slugs(last)].sort()).toEqual(["e3", "e4", "e5", "u1", "u2"]);
  });

  it("sorts by pending and by version", async () => {
    const byPending = await tenants({ sort: "pending", order: "desc", limit: "100" });
    expect(byPending.items.map((t: Json) => t.migration_state.pending)).toEqual([4, 4, 4, 4, 2, 0, 0, 0, 0]);
    const byVersion = await tenants({ sort: "version", order: "desc", limit: "100" });
    expect(byVersion.items.map((t: Json) => t.migration_state.version)).toEqual(["0004", "0004", "0004", "0004", "0002", null, null, null, null]);
  });

  it("a baseline records the marked versions at once", async () => {
    const res = await call(baselineRoute.POST, "POST", "/api/migrations/baseline", {
      token: env.tokens.operator,
      body: { scope: "tenant", tenant_ids: [eu[4]!.id], to_version: "0004", confirm_missing: true, reason: "adopted by hand" },
    });
    expect(res.status, res.text).toBe(200);
    expect((await bySlug("e4")).migration_state).toMatchObject({ version: "0004", applied: 4, pending: 0, at_head: true, last_run: null });
    expect(slugs(await tenants({ state: "behind", limit: "100" }))).toEqual(["e3", "e5", "u1", "u2"]);
  });

  it("drift seen by a plan blocks the tenant; accepting it clears the block", async () => {
    await onDatabase(env.fleet.shared.eu!.db.url, `update "${eu[0]!.schema}"._schema_migrations set checksum = 'edited' where version = '0002'`);
    await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token: env.tokens.viewer, query: { scope: "tenant", tenant_ids: eu[0]!.id } });
    expect(slugs(await tenants({ state: "blocked" }))).toEqual(["e0"]);
    expect((await bySlug("e0")).migration_state.blocked).toMatchObject({ code: "drift" });
    expect(group(await fleetState(), "tenant", "eu")).toMatchObject({ blocked: 1 });

    const res = await call(acceptDriftRoute.POST, "POST", "/api/migrations/drift/accept", {
      token: env.tokens.operator,
      body: { scope: "tenant", tenant_ids: [eu[0]!.id], migration_ids: ["tenant/0002_contacts"], reason: "edited on purpose" },
    });
    expect(res.status, res.text).toBe(200);
    expect((await tenants({ state: "blocked" })).total).toBe(0);
  });

  it("a rollback records the version it went back to", async () => {
    const done = await run({ scope: "tenant", tenant_ids: [us[1]!.id] });
    expect(done.status).toBe("completed");
    expect((await bySlug("u1")).migration_state).toMatchObject({ version: "0004", pending: 0 });
    // A rehearsed rollback keeps nothing, and the state says so.
    const rehearsal = await call(rollbackRoute.POST, "POST", "/api/migrations/rollback", {
      token: env.tokens.operator,
      body: { execution_id: done.id, dry_run: true },
    });
    expect(rehearsal.status, rehearsal.text).toBe(202);
    expect((await waitForEnd(env.tokens.operator, rehearsal.json.id, 120_000)).status).toBe("completed");
    expect((await bySlug("u1")).migration_state).toMatchObject({ version: "0004", last_run: { execution_id: done.id, kind: "migrate" } });
    const res = await call(rollbackRoute.POST, "POST", "/api/migrations/rollback", { token: env.tokens.operator, body: { execution_id: done.id } });
    expect(res.status, res.text).toBe(202);
    const back = await waitForEnd(env.tokens.operator, res.json.id, 120_000);
    expect(back.status).toBe("completed");
    expect((await bySlug("u1")).migration_state).toMatchObject({
      version: null,
      applied: 0,
      pending: 4,
      last_run: { execution_id: res.json.id, kind: "rollback", status: "succeeded" },
    });
  });

  it("the tenant page carries the last run's error", async () => {
    const res = await call(tenantMigrationsRoute.GET, "GET", `/api/tenants/${eu[3]!.id}/migrations`, {
      token: env.tokens.viewer,
      params: { id: eu[3]!.id },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.migration_state.last_run).toMatchObject({ status: "failed", error: { code: "42P07" } });
  });
});

describe("the catalog's head is compared when reading", () => {
  it("two new tenant files make every tenant behind by two, with no write to the store", async () => {
    const before = await fleetState();
    catalog.grow();
    const after = await fleetState();
    expect(after.catalog.tiers.find((t: Json) => t.tier === "tenant")).toMatchObject({ migrations: 6, head: "0006" });
    expect(group(after, "tenant", "eu")).toMatchObject({ targets: 6, at_head: 0, behind: 6 });
    expect(group(after, "tenant", "us")).toMatchObject({ targets: 3, at_head: 0, behind: 3 });
    // Admin and shared tiers did not change.
    expect(group(after, "admin", null)).toEqual(group(before, "admin", null));
    expect((await tenants({ state: "at_head" })).total).toBe(0);
    expect((await bySlug("e1")).migration_state).toMatchObject({ version: "0004", pending: 2, head: "0006", at_head: false });
  });

  it("a database's own state and the tenants it hosts", async () => {
    const state = await fleetState({ connection_id: env.fleet.shared.us!.id });
    expect(state.database).toMatchObject({
      connection_id: env.fleet.shared.us!.id,
      connection_name: "shared-us",
      tier: "shared",
      schema_name: "public",
      migration_state: { version: "0003", pending: 0, at_head: true },
    });
    expect(state.groups.map((g: Json) => `${g.tier}/${g.region}`).sort()).toEqual(["shared/us", "tenant/us"]);
    expect(state.totals.targets).toBe(4);
    const hosted = await tenants({ connection_id: env.fleet.shared.us!.id });
    expect(slugs(hosted)).toEqual(["u0", "u1", "u2"]);
  });

  it("refuses an unknown state filter naming the field", async () => {
    const res = await call(tenantsRoute.GET, "GET", "/api/tenants", { token: env.tokens.viewer, query: { state: "late" } });
    expect(res.status).toBe(422);
    expect(res.json.details.fields[0]).toMatchObject({ field: "state" });
  });
});
