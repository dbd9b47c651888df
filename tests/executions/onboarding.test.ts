import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/api/audit/route";
import * as databaseRoute from "../../app/api/databases/[id]/route";
import * as dropPreviewRoute from "../../app/api/tenants/[id]/drop-preview/route";
import * as tenantMigrationsRoute from "../../app/api/tenants/[id]/migrations/route";
import * as tenantRoute from "../../app/api/tenants/[id]/route";
import * as schemaRoute from "../../app/api/tenants/[id]/schema/route";
import * as tenantsRoute from "../../app/api/tenants/route";
import { startMigrationWorker } from "../../server/jobs/start-worker";
import { loadCatalog } from "../../server/migrations/engine/catalog";
import { claimsLike } from "../support/dev-realm";
import { call } from "../support/api-call";
import { createTestDatabase, onDatabase, type TestDatabase } from "../support/database";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { legacyTenantSql } from "../support/legacy-tenant-sql";
import { executeOrThrow, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/**
 * Onboarding and offboarding a tenant through the real routes on a real fleet: registered with
 * `migrate: true`, a tenant is brought to the catalog's head by an execution the operator follows;
 * a tenant that cannot be migrated yet is registered all the same, and the answer says why;
 * deactivating leaves the schema alone; dropping the schema takes an admin, a preview and the
 * schema's name typed out, and is refused (nothing dropped) otherwise.
 */

let env: ExecutionEnv;
let dedicated: TestDatabase;
let headVersions: string[];
let euUrl: string;

beforeAll(async () => {
  env = await startExecutionEnv({ regions: ["eu", "us"], tenantsPerRegion: 0, prefix: "onb" });
  headVersions = (await loadCatalog(EXAMPLES_DIR)).byTier.tenant.map((m) => m.version);
  euUrl = env.fleet.shared.eu!.db.url;
  // eu's shared database and the admin database carry what the tenant tier requires; us's do not.
  for (const body of [{ scope: "admin" }, { scope: "single", database_id: env.fleet.shared.eu!.id }]) {
    expect((await waitForEnd(env.tokens.operator, await executeOrThrow(env.tokens.operator, body))).status).toBe("completed");
  }
});

afterAll(async () => {
  await stopExecutionEnv(env);
  await dedicated?.drop();
});

const create = (body: Record<string, unknown>, token = env.tokens.operator) => call(tenantsRoute.POST, "POST", "/api/tenants", { token, body });
const getTenant = (id: string) => call(tenantRoute.GET, "GET", `/api/tenants/${id}`, { token: env.tokens.viewer, params: { id } });
const setStatus = (id: string, status: string) =>
  call(tenantRoute.PATCH, "PATCH", `/api/tenants/${id}`, { token: env.tokens.operator, params: { id }, body: { status } });
const tenantPage = async (id: string) =>
  (await call(tenantMigrationsRoute.GET, "GET", `/api/tenants/${id}/migrations`, { token: env.tokens.viewer, params: { id } })).json;
const preview = (id: string, token = env.tokens.admin) => call(dropPreviewRoute.GET, "GET", `/api/tenants/${id}/drop-preview`, { token, params: { id } });
const dropSchema = (id: string, body: unknown, token = env.tokens.admin) =>
  call(schemaRoute.DELETE, "DELETE", `/api/tenants/${id}/schema`, { token, params: { id }, body });
const registered = async (slug: string) =>
  (await call(tenantsRoute.GET, "GET", "/api/tenants", { token: env.tokens.viewer, query: { search: slug } })).json.items.length > 0;

/** Relations of a schema and the rows of its accounts table (when it has one), as PostgreSQL sees them. */
async function schemaState(url: string, schema: string) {
  const relations = (
    await onDatabase<{ relname: string }>(
      url,
      "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r' order by 1",
      [schema],
    )
  ).rows.map((r) => r.relname);
  const exists = (await onDatabase(url, "select 1 from pg_namespace where nspname = $1", [schema])).rowCount === 1;
  return { exists, relations };
}

describe("POST /api/tenants with migrate: true", () => {
  it("creates the schema and brings it to the catalog's head as an ordinary execution the operator can follow", async () => {
    const res = await create({ slug: "fresh", name: "Fresh Ltd", connection_id: env.fleet.shared.eu!.id, create_schema: true, migrate: true });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ slug: "fresh", schema_name: "tenant_fresh", status: "active" });
    expect(res.json.migration).toMatchObject({
      outcome: "started",
      execution: { pending_migrations: headVersions.length },
      reasons: [],
      error: null,
    });
    expect(["in_progress", "completed"]).toContain(res.json.migration.execution.status);

    const done = await waitForEnd(env.tokens.viewer, res.json.migration.execution.id);
    expect(done).toMatchObject({ status: "completed", scope: "single", kind: "migrate", executed_by: "operator" });
    expect(done.params).toMatchObject({ database_id: env.fleet.shared.eu!.id, tenant_id: res.json.id });
    expect(done.targets.map((t: { schema_name: string }) => t.schema_name)).toEqual(["tenant_fresh"]);

    // At the head: its history table lists every tenant migration, applied by this execution, and the objects exist.
    const page = await tenantPage(res.json.id);
    expect(page.pending).toEqual([]);
    expect(page.target.status).toBe("up_to_date");
    expect(page.applied.map((a: { version: string }) => a.version)).toEqual(headVersions);
    for (const a of page.applied) expect(a).toMatchObject({ state: "applied", execution_id: done.id, applied_by: "operator" });
    expect((await schemaState(euUrl, "tenant_fresh")).relations).toEqual(
      ["_schema_migrations", "accounts", "contacts", "invoice_lines", "invoices"].sort(),
    );

    const audit = await call(auditRoute.GET, "GET", "/api/audit", { token: env.tokens.admin, query: { action: "tenants.create" } });
    const entry = audit.json.entries.find((e: { resource_id: string }) => e.resource_id === res.json.id);
    expect(entry).toMatchObject({ outcome: "success", details: { migrate: true, migration: { outcome: "started", execution_id: done.id } } });
  });

  it("without create_schema takes the schema as it is: baselined in the same call, only the newer migrations run", async () => {
    await onDatabase(euUrl, legacyTenantSql("tenant_legacy"));
    const res = await create({
      slug: "legacy",
      name: "Legacy",
      connection_id: env.fleet.shared.eu!.id,
      baseline: { to_version: "0004" },
      migrate: true,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.baseline.targets[0]).toMatchObject({ status: "baselined" });
    expect(res.json.migration).toMatchObject({ outcome: "started", execution: { pending_migrations: 2 } });
    expect((await waitForEnd(env.tokens.viewer, res.json.migration.execution.id)).status).toBe("completed");
    const page = await tenantPage(res.json.id);
    expect(page.applied.map((a: { version: string; state: string }) => `${a.version} ${a.state}`)).toEqual([
      "0001 baselined",
      "0002 baselined",
      "0003 baselined",
      "0004 baselined",
      "0005 applied",
      "0006 applied",
    ]);
  });

  it("in a region whose shared database lacks a requirement: registered, the execution recorded as blocked, nothing ran", async () => {
    const res = await create({ slug: "early", name: "Early", connection_id: env.fleet.shared.us!.id, create_schema: true, migrate: true });
    expect(res.status, res.text).toBe(201);
    expect(res.json.migration).toMatchObject({ outcome: "blocked", execution: { status: "failed" }, error: null });
    expect(res.json.migration.reasons.join(" ")).toContain("shared/0001_currencies");
    expect(res.json.migration.message).toContain("nothing ran");
    const status = await waitForEnd(env.tokens.viewer, res.json.migration.execution.id);
    expect(status.targets[0]).toMatchObject({ schema_name: "tenant_early", status: "failed", error: { code: "blocked" } });

    expect((await getTenant(res.json.id)).json).toMatchObject({ slug: "early", status: "active" });
    expect(await schemaState(env.fleet.shared.us!.db.url, "tenant_early")).toEqual({ exists: true, relations: [] });
    expect((await tenantPage(res.json.id)).target.status).toBe("blocked");
  });

  it("when no execution can be planned, the tenant is registered all the same and the answer says why", async () => {
    dedicated = await createTestDatabase("onb_ded");
    const id = await env.fleet.register("dedicated-eu", dedicated, "tenant", "eu");
    const off = await call(databaseRoute.PATCH, "PATCH", `/api/databases/${id}`, { token: env.tokens.operator, params: { id }, body: { is_active: false } });
    expect(off.status, off.text).toBe(200);

    const res = await create({ slug: "parked", name: "Parked", connection_id: id, create_schema: true, migrate: true });
    expect(res.status, res.text).toBe(201);
    expect(res.json.migration).toMatchObject({ outcome: "not_started", execution: null, error: { code: "conflict" } });
    expect(res.json.migration.error.message).toContain("dedicated-eu is not active");
    expect(res.json.migration.message).toContain("Tenant parked is registered");
    expect((await getTenant(res.json.id)).status).toBe(200);
  });

  it("refuses before registering anything: migrate without migrations:execute (403), migrate for a suspended tenant (422 naming migrate)", async () => {
    const registrar = await env.tokens.realm.sign(
      claimsLike(env.tokens.realm, { preferred_username: "registrar", realm_access: { roles: ["databases:manage", "migrations:read"] } }),
    );
    const forbidden = await create({ slug: "nope", name: "Nope", connection_id: env.fleet.shared.eu!.id, create_schema: true, migrate: true }, registrar);
    expect(forbidden.status, forbidden.text).toBe(403);
    expect(forbidden.json.details.required_permission).toBe("migrations:execute");

    const suspended = await create({ slug: "nope", name: "Nope", connection_id: env.fleet.shared.eu!.id, status: "suspended", create_schema: true, migrate: true });
    expect(suspended.status, suspended.text).toBe(422);
    expect(suspended.json.details.fields).toEqual([expect.objectContaining({ field: "migrate" })]);

    const wrongType = await create({ slug: "nope", name: "Nope", connection_id: env.fleet.shared.eu!.id, migrate: "yes" });
    expect(wrongType.status).toBe(422);
    expect(wrongType.json.details.fields.map((f: { field: string }) => f.field)).toEqual(["migrate"]);

    expect(await registered("nope")).toBe(false);
    expect((await schemaState(euUrl, "tenant_nope")).exists).toBe(false);
  });
});

describe("deactivating a tenant", () => {
  it("suspending and archiving leave its schema, its data and its history as they were", async () => {
    const fresh = (await call(tenantsRoute.GET, "GET", "/api/tenants", { token: env.tokens.viewer, query: { search: "fresh" } })).json.items[0];
    await onDatabase(euUrl, `insert into tenant_fresh.accounts (name) values ('Kept'), ('Also kept')`);
    const before = await schemaState(euUrl, "tenant_fresh");
    for (const status of ["suspended", "archived"]) {
      const res = await setStatus(fresh.id, status);
      expect(res.status, res.text).toBe(200);
      expect(await schemaState(euUrl, "tenant_fresh")).toEqual(before);
    }
    const rows = await onDatabase<{ n: string; h: string }>(
      euUrl,
      "select (select count(*) from tenant_fresh.accounts) as n, (select count(*) from tenant_fresh._schema_migrations) as h",
    );
    expect(rows.rows[0]).toEqual({ n: "2", h: String(headVersions.length) });
  });
});

describe("dropping a tenant's schema", () => {
  let fresh: { id: string };
  let queued: { id: string; execution: string };

  beforeAll(async () => {
    fresh = (await call(tenantsRoute.GET, "GET", "/api/tenants", { token: env.tokens.viewer, query: { search: "fresh" } })).json.items[0];
    await onDatabase(
      euUrl,
      `create type tenant_fresh.mood as enum ('calm', 'busy');
       create function tenant_fresh.account_count() returns bigint language sql as 'select count(*) from tenant_fresh.accounts';
       create sequence tenant_fresh.invoice_numbers;`,
    );
  });

  it("is for infrastructure:admin only: an operator gets 403 for the preview and the drop, and the schema stays", async () => {
    expect((await preview(fresh.id, env.tokens.operator)).status).toBe(403);
    const res = await dropSchema(fresh.id, { confirm: "tenant_fresh" }, env.tokens.operator);
    expect(res.status).toBe(403);
    expect(res.json.details.required_permission).toBe("infrastructure:admin");
    expect((await schemaState(euUrl, "tenant_fresh")).exists).toBe(true);
  });

  it("previews what would be dropped: tables with their rows, sequences, types and functions", async () => {
    const res = await preview(fresh.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ schema_name: "tenant_fresh", exists: true, connection_name: "shared-eu", blockers: [], outside_dependents: [] });
    const relations = Object.fromEntries(res.json.relations.map((r: { name: string; rows: number; kind: string }) => [r.name, [r.kind, r.rows]]));
    expect(relations).toEqual({
      _schema_migrations: ["table", headVersions.length],
      accounts: ["table", 2],
      contacts: ["table", 0],
      invoice_lines: ["table", 0],
      invoices: ["table", 0],
    });
    expect(res.json.total_rows).toBe(2 + headVersions.length);
    expect(res.json.types).toEqual([{ name: "mood", kind: "enum" }]);
    expect(res.json.functions).toEqual([{ name: "account_count", arguments: "", kind: "function" }]);
    expect(res.json.sequences).toEqual([{ name: "invoice_numbers" }]);
  });

  it("refuses a confirmation that is not the schema's name (422 naming confirm); nothing is dropped", async () => {
    for (const body of [{ confirm: "tenant_other" }, { confirm: "TENANT_FRESH" }, { confirm: "" }, {}]) {
      const res = await dropSchema(fresh.id, body);
      expect(res.status, res.text).toBe(422);
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toEqual(["confirm"]);
    }
    expect((await schemaState(euUrl, "tenant_fresh")).exists).toBe(true);
  });

  it("refuses while the tenant is active, and while an execution still has to run on it", async () => {
    const legacy = (await call(tenantsRoute.GET, "GET", "/api/tenants", { token: env.tokens.viewer, query: { search: "legacy" } })).json.items[0];
    const active = await dropSchema(legacy.id, { confirm: "tenant_legacy" });
    expect(active.status, active.text).toBe(409);
    expect(active.json.message).toContain("is active");
    expect((await preview(legacy.id)).json.blockers.join(" ")).toContain("is active");

    // A tenant whose onboarding execution is queued (no worker takes it meanwhile), then suspended.
    await env.worker!.stop();
    const res = await create({ slug: "queued", name: "Queued", connection_id: env.fleet.shared.eu!.id, create_schema: true, migrate: true });
    expect(res.json.migration).toMatchObject({ outcome: "started", execution: { status: "in_progress" } });
    queued = { id: res.json.id, execution: res.json.migration.execution.id };
    expect((await setStatus(queued.id, "suspended")).status).toBe(200);
    const busy = await dropSchema(queued.id, { confirm: "tenant_queued" });
    expect(busy.status, busy.text).toBe(409);
    expect(busy.json.message).toContain(queued.execution);
    expect((await preview(queued.id)).json.blockers.join(" ")).toContain(queued.execution);
    expect((await schemaState(euUrl, "tenant_queued")).exists).toBe(true);

    env.worker = await startMigrationWorker({ kind: "in-process" });
    await waitForEnd(env.tokens.viewer, queued.execution);
  });

  it("refuses while something outside the schema depends on it, naming it", async () => {
    await onDatabase(euUrl, "create view public.fresh_accounts as select id, name from tenant_fresh.accounts");
    const listed = await preview(fresh.id);
    expect(listed.json.outside_dependents).toEqual([{ type: "view", identity: "public.fresh_accounts" }]);
    expect(listed.json.blockers.join(" ")).toContain("public.fresh_accounts");
    const res = await dropSchema(fresh.id, { confirm: "tenant_fresh" });
    expect(res.status, res.text).toBe(409);
    expect(res.json.message).toContain("view public.fresh_accounts");
    expect((await schemaState(euUrl, "tenant_fresh")).exists).toBe(true);
    await onDatabase(euUrl, "drop view public.fresh_accounts");
  });

  it("drops the schema for an admin who typed its name; the tenant stays registered; the audit keeps what went", async () => {
    const stateOfFresh = async () =>
      (await call(tenantsRoute.GET, "GET", "/api/tenants", { token: env.tokens.viewer, query: { search: "fresh", status: "archived" } })).json.items.find(
        (t: { id: string }) => t.id === fresh.id,
      )?.migration_state;
    expect((await stateOfFresh())?.applied).toBe(headVersions.length);
    const res = await dropSchema(fresh.id, { confirm: "tenant_fresh" });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      schema_name: "tenant_fresh",
      connection_name: "shared-eu",
      dropped: { relations: 5, rows: 2 + headVersions.length, sequences: 1, types: 1, functions: 1 },
    });
    expect(await schemaState(euUrl, "tenant_fresh")).toEqual({ exists: false, relations: [] });
    expect((await getTenant(fresh.id)).json).toMatchObject({ slug: "fresh", status: "archived" });
    // What the console knew of the schema went with it: the tenant reads "never read", not at head.
    expect(await stateOfFresh()).toBeNull();
    // The other schemas on the database are untouched.
    expect((await schemaState(euUrl, "tenant_legacy")).relations).toContain("accounts");

    const audit = await call(auditRoute.GET, "GET", "/api/audit", { token: env.tokens.admin, query: { action: "tenants.drop_schema" } });
    const entries = audit.json.entries.filter((e: { resource_id: string }) => e.resource_id === fresh.id);
    expect(entries.find((e: { outcome: string }) => e.outcome === "success")).toMatchObject({
      actor_name: "service-account-ci-admin",
      details: { schema_name: "tenant_fresh", dropped: { relations: 5 } },
    });
    expect(entries.filter((e: { outcome: string }) => e.outcome === "error").length).toBeGreaterThanOrEqual(3);

    const again = await dropSchema(fresh.id, { confirm: "tenant_fresh" });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain("does not exist");
  });
});
