import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as databases from "../../app/api/databases/route";
import * as database from "../../app/api/databases/[id]/route";
import * as tenants from "../../app/api/tenants/route";
import * as tenant from "../../app/api/tenants/[id]/route";
import * as discover from "../../app/api/tenants/discover/route";
import { MIGRATIONS_FOLDER, migrateControlPlane } from "../../server/db/migrate";
import { checkService } from "../../server/health/service-checks";
import { call } from "../support/api-call";
import { createTestDatabase, onDatabase, queryOn, type TestDatabase } from "../support/database";
import { startRealmWithTokens, type Tokens } from "../support/realm-tokens";
import { type ControlPlaneEnv, setUpControlPlane } from "../support/test-env";

/**
 * One registration per target across tiers: a schema of a database on a server that a connection
 * or a tenant already migrates cannot be registered again (409 naming who has it), by any path —
 * registering or editing a connection, registering, editing or discovering a tenant. Overlaps from
 * before the rule are reported by the control-plane migration, at start and in fleet health.
 */

let env: ControlPlaneEnv;
let tokens: Tokens;
let sharedDb: TestDatabase;
let otherDb: TestDatabase;
const ids: Record<string, string> = {};

function connectionBody(name: string, db: TestDatabase, tier: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    host: env.server.host,
    port: env.server.port,
    database_name: db.name,
    username: env.server.username,
    password: env.server.password,
    connection_type: tier,
    region: tier === "shared" || tier === "tenant" ? "eu-west-1" : null,
    skip_test: true,
    ...extra,
  };
}

const registerConnection = (body: Record<string, unknown>) => call(databases.POST, "POST", "/api/databases", { token: tokens.operator, body });
const createTenant = (body: Record<string, unknown>) => call(tenants.POST, "POST", "/api/tenants", { token: tokens.operator, body });

beforeAll(async () => {
  env = await setUpControlPlane();
  tokens = await startRealmWithTokens();
  [sharedDb, otherDb] = await Promise.all([createTestDatabase("reg_overlap"), createTestDatabase("reg_overlap_other")]);
  const shared = await registerConnection(connectionBody("shared-eu", sharedDb, "shared"));
  expect(shared.status, shared.text).toBe(201);
  ids.shared = shared.json.id;
  const acme = await createTenant({ slug: "acme", name: "Acme", connection_id: ids.shared, create_schema: true });
  expect(acme.status, acme.text).toBe(201);
  ids.acme = acme.json.id;
  const analytics = await registerConnection(connectionBody("analytics", otherDb, "analytics"));
  expect(analytics.status, analytics.text).toBe(201);
  ids.analytics = analytics.json.id;
});

afterAll(async () => {
  await tokens?.realm.stop();
  await env?.close();
  await sharedDb?.drop();
  await otherDb?.drop();
});

function expectTaken(res: { status: number; text: string; json: { error: string; message: string; details: Record<string, unknown> } }, owner: string, field: string) {
  expect(res.status, res.text).toBe(409);
  expect(res.json.error).toBe("conflict");
  expect(res.json.message).toContain(`is already the target of ${owner}`);
  expect(res.json.details.field).toBe(field);
}

describe("registering a connection", () => {
  it("on a schema a tenant of another tier already has is refused, naming the tenant", async () => {
    const res = await registerConnection(connectionBody("analytics-on-acme", sharedDb, "analytics", { schema_name: "tenant_acme" }));
    expectTaken(res, "tenant acme", "schema_name");
    expect(res.json.details.existing).toMatchObject({ kind: "tenant", id: ids.acme, name: "acme" });
  });

  it("on a database's schema another connection migrates is refused, naming the connection", async () => {
    expectTaken(await registerConnection(connectionBody("analytics-on-shared", sharedDb, "analytics")), "connection shared-eu (shared)", "schema_name");
  });

  it("whatever the spelling of the same server: case, a trailing dot, another loopback name", async () => {
    const loopback = ["localhost", "127.0.0.1", "::1"].includes(env.server.host);
    const name = loopback ? "localhost" : env.server.host;
    const spellings = [...(loopback ? ["localhost", "127.0.0.1"] : []), name.toUpperCase(), `${name}.`].filter((h) => h !== env.server.host);
    expect(spellings.length).toBeGreaterThan(1);
    for (const host of spellings) {
      const res = await registerConnection(connectionBody(`spelling-${spellings.indexOf(host)}`, sharedDb, "analytics", { host, schema_name: "tenant_acme" }));
      expectTaken(res, "tenant acme", "schema_name");
    }
  });

  it("is accepted on another schema of the same database, or the same schema of another database", async () => {
    const beside = await registerConnection(connectionBody("analytics-beside", sharedDb, "analytics", { schema_name: "reporting" }));
    expect(beside.status, beside.text).toBe(201);
    const elsewhere = await registerConnection(connectionBody("admin", otherDb, "admin", { schema_name: "admin" }));
    expect(elsewhere.status, elsewhere.text).toBe(201);
    // A dedicated tenant database has no target of its own: it may point at a shared database.
    const dedicated = await registerConnection(connectionBody("dedicated", sharedDb, "tenant"));
    expect(dedicated.status, dedicated.text).toBe(201);
    ids.dedicated = dedicated.json.id;
  });
});

const patch = (id: string, body: Record<string, unknown>) =>
  call(database.PATCH, "PATCH", `/api/databases/${id}`, { token: tokens.operator, params: { id }, body: { skip_test: true, ...body } });
const patchTenant = (id: string, body: Record<string, unknown>) => call(tenant.PATCH, "PATCH", `/api/tenants/${id}`, { token: tokens.operator, params: { id }, body });

describe("inactive registrations", () => {
  it("take no part in plans, so they may name a taken target; activating one is refused", async () => {
    const staged = await registerConnection(connectionBody("analytics-staged", sharedDb, "analytics", { schema_name: "tenant_acme", is_active: false }));
    expect(staged.status, staged.text).toBe(201);
    expectTaken(await patch(staged.json.id, { is_active: true }), "tenant acme", "schema_name");
    expect((await call(database.DELETE, "DELETE", `/api/databases/${staged.json.id}`, { token: tokens.operator, params: { id: staged.json.id } })).status).toBe(204);
  });

  it("a suspended tenant in a taken schema is accepted; making it active is refused", async () => {
    const dedicated = await registerConnection(connectionBody("dedicated-shadow", sharedDb, "tenant"));
    expect(dedicated.status, dedicated.text).toBe(201);
    const suspended = await createTenant({ slug: "acme-shadow", name: "Shadow", connection_id: dedicated.json.id, schema_name: "tenant_acme", status: "suspended" });
    expect(suspended.status, suspended.text).toBe(201);
    expectTaken(await patchTenant(suspended.json.id, { status: "active" }), "tenant acme", "status");
    expect((await patchTenant(suspended.json.id, { status: "archived" })).status).toBe(200);
  });
});

describe("editing a connection", () => {
  it("onto a target that is taken is refused and changes nothing", async () => {
    expectTaken(await patch(ids.analytics!, { database_name: sharedDb.name }), "connection shared-eu (shared)", "schema_name");
    expectTaken(await patch(ids.analytics!, { database_name: sharedDb.name, schema_name: "tenant_acme" }), "tenant acme", "schema_name");
    const { rows } = await queryOn<{ database_name: string }>(env.controlPlane.name, "select database_name from console.connections where id = $1", [ids.analytics]);
    expect(rows[0]!.database_name).toBe(otherDb.name);
  });

  it("so that its own schema is one of its tenants' is refused", async () => {
    expectTaken(await patch(ids.shared!, { schema_name: "tenant_acme" }), "tenant acme", "schema_name");
  });

  it("moving its tenants onto targets that are taken is refused, naming the tenant that would move", async () => {
    // The dedicated database's tenant lives in schema `beta`; moving the connection to the other
    // database puts `beta` next to analytics' own schema there when analytics uses `beta`.
    const beta = await createTenant({ slug: "beta", name: "Beta", connection_id: ids.dedicated, schema_name: "beta" });
    expect(beta.status, beta.text).toBe(201);
    expect((await patch(ids.analytics!, { schema_name: "beta" })).status).toBe(200);
    const res = await patch(ids.dedicated!, { database_name: otherDb.name });
    expectTaken(res, "connection analytics (analytics)", "database_name");
    expect(res.json.message).toContain("tenant beta would move with this connection");
    expect((await patch(ids.analytics!, { schema_name: "public" })).status).toBe(200);
  });

  it("a dedicated tenant database turned into a shared one gets a target of its own, checked like any", async () => {
    expectTaken(await patch(ids.dedicated!, { connection_type: "analytics", region: null }), "connection shared-eu (shared)", "schema_name");
  });
});

describe("registering, editing and discovering tenants", () => {
  it("a tenant on a connection to the same database, in a schema another tenant has, is refused", async () => {
    const res = await createTenant({ slug: "acme-again", name: "Acme again", connection_id: ids.dedicated, schema_name: "tenant_acme" });
    expectTaken(res, "tenant acme", "schema_name");
  });

  it("a tenant in the schema a connection migrates is refused", async () => {
    await queryOn(sharedDb.name, "create schema reporting");
    expectTaken(await createTenant({ slug: "reporting", name: "Reporting", connection_id: ids.dedicated, schema_name: "reporting" }), "connection analytics-beside (analytics)", "schema_name");
  });

  it("moving a tenant onto a taken target is refused", async () => {
    const globex = await createTenant({ slug: "globex", name: "Globex", connection_id: ids.shared });
    expect(globex.status, globex.text).toBe(201);
    const id = globex.json.id as string;
    expectTaken(await patchTenant(id, { connection_id: ids.dedicated, schema_name: "tenant_acme" }), "tenant acme", "schema_name");
  });

  it("registering discovered schemas that are already targets registers none of them", async () => {
    const res = await call(discover.POST, "POST", "/api/tenants/discover", {
      token: tokens.operator,
      body: { connection_id: ids.dedicated, tenants: [{ schema_name: "reporting", slug: "reporting-co" }] },
    });
    expectTaken(res, "connection analytics-beside (analytics)", "tenants.0.schema_name");
  });
});

describe("overlaps registered before the rule", () => {
  it("are reported by the control-plane migration that introduces the rule, which deletes nothing", async () => {
    const cp = await createTestDatabase("reg_overlap_cp");
    const folder = mkdtempSync(path.join(os.tmpdir(), "cp-migrations-"));
    try {
      // The control plane as it was before: migrations up to 0002.
      cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalFile = path.join(folder, "meta", "_journal.json");
      const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
      const at = journal.entries.findIndex((e) => e.tag.endsWith("_report_target_overlaps"));
      expect(at).toBeGreaterThan(0);
      writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
      await migrateControlPlane(cp.url, folder);
      await onDatabase(
        cp.url,
        `insert into console.connections (id, name, host, port, database_name, username, connection_type, region, schema_name, created_by)
         values ('00000000-0000-4000-8000-000000000001', 'shared-eu', 'db.internal', 5432, 'fleet', 'u', 'shared', 'eu', 'public', 't'),
                ('00000000-0000-4000-8000-000000000002', 'analytics', 'DB.internal.', 5432, 'fleet', 'u', 'analytics', null, 'tenant_acme', 't');
         insert into console.tenants (slug, name, region, connection_id, schema_name, created_by)
         values ('acme', 'Acme', 'eu', '00000000-0000-4000-8000-000000000001', 'tenant_acme', 't')`,
      );

      const warnings: string[] = [];
      expect(await migrateControlPlane(cp.url, MIGRATIONS_FOLDER, (w) => warnings.push(w))).toBeGreaterThan(0);
      expect(warnings).toEqual([
        "overlapping targets: connection analytics (analytics) and tenant acme (tenant) both migrate schema tenant_acme of database fleet on db.internal:5432",
      ]);
      const { rows } = await onDatabase<{ n: number }>(cp.url, "select (select count(*) from console.connections)::int + (select count(*) from console.tenants)::int as n");
      expect(rows[0]!.n).toBe(3);
      expect((await onDatabase(cp.url, "select * from console.target_overlaps")).rowCount).toBe(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await cp.drop();
    }
  });

  it("make fleet health degraded, naming both registrations", async () => {
    // Written past the API, as an older console would have let it happen.
    await queryOn(env.controlPlane.name, "update console.connections set schema_name = 'tenant_acme' where id = $1", [ids.analytics]);
    await queryOn(env.controlPlane.name, "update console.connections set database_name = $2 where id = $1", [ids.analytics, sharedDb.name]);
    try {
      const health = await checkService("fleet");
      expect(health.status).not.toBe("healthy");
      expect(health.message).toContain("1 target(s) registered twice");
      expect(health.details.target_overlaps).toEqual({
        total: 1,
        first: [expect.stringMatching(/connection analytics \(analytics\) and tenant acme both migrate schema tenant_acme of database/)],
      });
    } finally {
      await queryOn(env.controlPlane.name, "update console.connections set schema_name = 'public', database_name = $2 where id = $1", [ids.analytics, otherDb.name]);
    }
    expect((await checkService("fleet")).details.target_overlaps).toEqual({ total: 0, first: [] });
  });
});
