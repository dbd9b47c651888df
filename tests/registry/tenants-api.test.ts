import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as databases from "../../app/api/databases/route";
import * as database from "../../app/api/databases/[id]/route";
import * as tenants from "../../app/api/tenants/route";
import * as tenant from "../../app/api/tenants/[id]/route";
import * as discover from "../../app/api/tenants/discover/route";
import { createTestDatabase, queryOn, type TestDatabase } from "../support/database";
import { type ControlPlaneEnv, setUpControlPlane } from "../support/test-env";
import { call } from "../support/api-call";
import { startRealmWithTokens, type Tokens } from "../support/realm-tokens";

/**
 * /api/tenants against real databases: placement rules (a live shared database of the tenant's
 * region, or a dedicated tenant database), schema creation on the hosting database, conflicts,
 * filters, status changes, and discovery of existing schemas registered all or nothing.
 */

let env: ControlPlaneEnv;
let tokens: Tokens;
let sharedDb: TestDatabase;
let dedicatedDb: TestDatabase;
const ids: Record<string, string> = {};

async function register(name: string, db: TestDatabase, tier: string, region: string | null, schemaName = "public") {
  const res = await call(databases.POST, "POST", "/api/databases", {
    token: tokens.operator,
    body: {
      name,
      host: env.server.host,
      port: env.server.port,
      database_name: db.name,
      username: env.server.username,
      password: env.server.password,
      connection_type: tier,
      region,
      schema_name: schemaName,
    },
  });
  expect(res.status, res.text).toBe(201);
  ids[name] = res.json.id;
}

const createTenant = (body: Record<string, unknown>) => call(tenants.POST, "POST", "/api/tenants", { token: tokens.operator, body });
const schemasOn = async (db: TestDatabase) =>
  (await queryOn<{ n: string }>(db.name, "select nspname as n from pg_namespace where nspname like 'tenant%' order by 1")).rows.map((r) => r.n);

beforeAll(async () => {
  env = await setUpControlPlane();
  tokens = await startRealmWithTokens();
  [sharedDb, dedicatedDb] = await Promise.all([createTestDatabase("reg_shared"), createTestDatabase("reg_dedicated")]);
  await register("shared-eu", sharedDb, "shared", "eu-west-1");
  // Beside the shared database's own schema: one target per registration.
  await register("analytics", sharedDb, "analytics", null, "analytics");
  await register("bigcorp-db", dedicatedDb, "tenant", "us-east-1");
});

afterAll(async () => {
  await tokens?.realm.stop();
  await env?.close();
  await sharedDb?.drop();
  await dedicatedDb?.drop();
});

describe("registering tenants", () => {
  it("creates tenant_<slug> on the region's shared database when asked", async () => {
    const res = await createTenant({ slug: "acme-corp", name: "Acme Corporation", connection_id: ids["shared-eu"], create_schema: true });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      slug: "acme-corp",
      schema_name: "tenant_acme_corp",
      region: "eu-west-1",
      status: "active",
      connection_name: "shared-eu",
      created_by: "operator",
    });
    ids.acme = res.json.id;
    expect(await schemasOn(sharedDb)).toEqual(["tenant_acme_corp"]);
  });

  it("registers without touching the database when create_schema is not set", async () => {
    const res = await createTenant({ slug: "globex", name: "Globex", connection_id: ids["shared-eu"], status: "suspended" });
    expect(res.status).toBe(201);
    ids.globex = res.json.id;
    expect(await schemasOn(sharedDb)).toEqual(["tenant_acme_corp"]);
  });

  it("places a large tenant on its own database, taking that database's region", async () => {
    const res = await createTenant({
      slug: "bigcorp",
      name: "BigCorp",
      connection_id: ids["bigcorp-db"],
      schema_name: "bigcorp",
      create_schema: true,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ region: "us-east-1", schema_name: "bigcorp" });
    ids.bigcorp = res.json.id;
  });

  it("refuses placements that break the rules, naming the field", async () => {
    const wrongRegion = await createTenant({ slug: "x1", name: "X", connection_id: ids["shared-eu"], region: "us-east-1" });
    expect(wrongRegion.status).toBe(422);
    expect(wrongRegion.json.details.fields[0].field).toBe("region");
    const analytics = await createTenant({ slug: "x2", name: "X", connection_id: ids.analytics });
    expect(analytics.status).toBe(422);
    expect(analytics.json.details.fields[0]).toMatchObject({ field: "connection_id" });
    expect(analytics.json.message).toMatch(/analytics database/);
    const unknown = await createTenant({ slug: "x3", name: "X", connection_id: "00000000-0000-4000-8000-000000000001" });
    expect(unknown.status).toBe(422);
    expect(unknown.json.details.fields[0].field).toBe("connection_id");
  });

  it("answers 409 for a taken slug or a schema that already belongs to a tenant", async () => {
    const slug = await createTenant({ slug: "acme-corp", name: "Again", connection_id: ids["shared-eu"], schema_name: "tenant_other" });
    expect(slug.status).toBe(409);
    expect(slug.json.details.field).toBe("slug");
    const schema = await createTenant({ slug: "acme2", name: "Again", connection_id: ids["shared-eu"], schema_name: "tenant_acme_corp" });
    expect(schema.status).toBe(409);
    expect(schema.json.message).toContain("already belongs to tenant acme-corp");
  });
});

describe("reading and changing tenants", () => {
  it("lists with filters and pagination for anyone with migrations:read", async () => {
    const all = await call(tenants.GET, "GET", "/api/tenants", { token: tokens.viewer });
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(3);
    const eu = await call(tenants.GET, "GET", "/api/tenants", { token: tokens.ciOperator, query: { region: "eu-west-1", status: "active" } });
    expect(eu.json.items.map((t: { slug: string }) => t.slug)).toEqual(["acme-corp"]);
    const onDb = await call(tenants.GET, "GET", "/api/tenants", { token: tokens.viewer, query: { connection_id: ids["bigcorp-db"]! } });
    expect(onDb.json.items.map((t: { slug: string }) => t.slug)).toEqual(["bigcorp"]);
    const search = await call(tenants.GET, "GET", "/api/tenants", { token: tokens.viewer, query: { search: "GLOB" } });
    expect(search.json.total).toBe(1);
    const page = await call(tenants.GET, "GET", "/api/tenants", { token: tokens.viewer, query: { limit: "1", offset: "1" } });
    expect(page.json.items).toHaveLength(1);
    expect(page.json.total).toBe(3);
    const one = await call(tenant.GET, "GET", `/api/tenants/${ids.globex}`, { token: tokens.viewer, params: { id: ids.globex! } });
    expect(one.json).toMatchObject({ slug: "globex", status: "suspended", connection_name: "shared-eu" });
  });

  it("changes name and status, and only with databases:manage", async () => {
    const id = ids.globex!;
    const viewer = await call(tenant.PATCH, "PATCH", `/api/tenants/${id}`, { token: tokens.viewer, params: { id }, body: { status: "active" } });
    expect(viewer.status).toBe(403);
    const res = await call(tenant.PATCH, "PATCH", `/api/tenants/${id}`, {
      token: tokens.operator,
      params: { id },
      body: { status: "active", name: "Globex Corporation" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: "active", name: "Globex Corporation", updated_by: "operator" });
  });

  it("moves a tenant to a dedicated database, taking its region", async () => {
    const id = ids.globex!;
    const res = await call(tenant.PATCH, "PATCH", `/api/tenants/${id}`, {
      token: tokens.operator,
      params: { id },
      body: { connection_id: ids["bigcorp-db"] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ region: "us-east-1", connection_name: "bigcorp-db", schema_name: "tenant_globex" });
  });

  it("keeps a database with live tenants from being deleted until they are archived", async () => {
    const dbId = ids["bigcorp-db"]!;
    const refused = await call(database.DELETE, "DELETE", `/api/databases/${dbId}`, { token: tokens.operator, params: { id: dbId } });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/hosts 2 tenant/);
    for (const id of [ids.bigcorp!, ids.globex!]) {
      const res = await call(tenant.PATCH, "PATCH", `/api/tenants/${id}`, { token: tokens.operator, params: { id }, body: { status: "archived" } });
      expect(res.status).toBe(200);
    }
    const deleted = await call(database.DELETE, "DELETE", `/api/databases/${dbId}`, { token: tokens.operator, params: { id: dbId } });
    expect(deleted.status).toBe(204);
    // Nothing new may be placed on a deleted database.
    const res = await createTenant({ slug: "late", name: "Late", connection_id: dbId });
    expect(res.status).toBe(422);
  });
});

describe("discovering existing tenant schemas", () => {
  beforeAll(async () => {
    for (const schema of ["tenant_initech", "tenant_hooli", "tenant_umbrella_corp", "reporting", "tenant_acme_corp_old"]) {
      await queryOn(sharedDb.name, `create schema "${schema}"`);
    }
  });

  it("lists unregistered schemas that match the pattern, with suggested slugs", async () => {
    const res = await call(discover.GET, "GET", "/api/tenants/discover", {
      token: tokens.operator,
      query: { connection_id: ids["shared-eu"]! },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.pattern).toBe("tenant_%");
    expect(res.json.schemas).toEqual([
      { schema_name: "tenant_acme_corp_old", suggested_slug: "acme-corp-old", suggested_name: "Acme Corp Old", problem: null },
      { schema_name: "tenant_hooli", suggested_slug: "hooli", suggested_name: "Hooli", problem: null },
      { schema_name: "tenant_initech", suggested_slug: "initech", suggested_name: "Initech", problem: null },
      { schema_name: "tenant_umbrella_corp", suggested_slug: "umbrella-corp", suggested_name: "Umbrella Corp", problem: null },
    ]);
    const narrowed = await call(discover.GET, "GET", "/api/tenants/discover", {
      token: tokens.operator,
      query: { connection_id: ids["shared-eu"]!, pattern: "tenant_h%" },
    });
    expect(narrowed.json.schemas.map((s: { schema_name: string }) => s.schema_name)).toEqual(["tenant_hooli"]);
    expect(res.json.total).toBe(4);
    const limited = await call(discover.GET, "GET", "/api/tenants/discover", {
      token: tokens.operator,
      query: { connection_id: ids["shared-eu"]!, limit: "2" },
    });
    expect(limited.json.schemas.map((s: { schema_name: string }) => s.schema_name)).toEqual(["tenant_acme_corp_old", "tenant_hooli"]);
    expect(limited.json.total).toBe(4);
    const viewer = await call(discover.GET, "GET", "/api/tenants/discover", { token: tokens.viewer, query: { connection_id: ids["shared-eu"]! } });
    expect(viewer.status).toBe(403);
  });

  it("registers nothing when one entry is wrong, naming it", async () => {
    const res = await call(discover.POST, "POST", "/api/tenants/discover", {
      token: tokens.operator,
      body: {
        connection_id: ids["shared-eu"],
        tenants: [{ schema_name: "tenant_initech" }, { schema_name: "tenant_hooli" }, { schema_name: "tenant_missing" }],
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.details.fields).toEqual([
      expect.objectContaining({ field: "tenants.2.schema_name", message: expect.stringContaining("does not exist") }),
    ]);
    const conflict = await call(discover.POST, "POST", "/api/tenants/discover", {
      token: tokens.operator,
      body: { connection_id: ids["shared-eu"], tenants: [{ schema_name: "tenant_initech" }, { schema_name: "tenant_acme_corp" }] },
    });
    expect(conflict.status).toBe(409);
    const { rows } = await queryOn(env.controlPlane.name, "select count(*)::int as n from console.tenants");
    expect(rows[0]?.n).toBe(3);
  });

  it("registers the whole list in one call", async () => {
    const res = await call(discover.POST, "POST", "/api/tenants/discover", {
      token: tokens.operator,
      body: {
        connection_id: ids["shared-eu"],
        tenants: [{ schema_name: "tenant_initech" }, { schema_name: "tenant_hooli", slug: "hooli-xyz", name: "Hooli XYZ" }],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.items).toEqual([
      expect.objectContaining({ slug: "initech", name: "Initech", schema_name: "tenant_initech", region: "eu-west-1" }),
      expect.objectContaining({ slug: "hooli-xyz", name: "Hooli XYZ", schema_name: "tenant_hooli" }),
    ]);
    const after = await call(discover.GET, "GET", "/api/tenants/discover", {
      token: tokens.operator,
      query: { connection_id: ids["shared-eu"]! },
    });
    expect(after.json.schemas.map((s: { schema_name: string }) => s.schema_name)).toEqual(["tenant_acme_corp_old", "tenant_umbrella_corp"]);
  });
});
