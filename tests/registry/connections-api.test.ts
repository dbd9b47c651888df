import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as collection from "../../app/api/databases/route";
import * as item from "../../app/api/databases/[id]/route";
import * as health from "../../app/api/databases/[id]/health/route";
import * as test from "../../app/api/databases/[id]/test/route";
import { createTestDatabase, queryOn, type TestDatabase } from "../support/database";
import { type ControlPlaneEnv, setUpControlPlane } from "../support/test-env";
import { call } from "../support/api-call";
import { startRealmWithTokens, type Tokens } from "../support/realm-tokens";

/**
 * /api/databases through the real route handlers, a real dev-realm token and real PostgreSQL:
 * registration tested against a live database, 409s on names and the one active admin, filters,
 * soft delete, test and health, and permissions.
 */

let env: ControlPlaneEnv;
let tokens: Tokens;
let fleetDb: TestDatabase;

/** Every registration on the suite's one database migrates a schema of its own (named after it). */
const body = (overrides: Record<string, unknown> = {}) => {
  const fields = {
    name: "shared-eu",
    host: env.server.host,
    port: env.server.port,
    database_name: fleetDb.name,
    username: env.server.username,
    password: env.server.password,
    ssl_mode: "prefer",
    connection_type: "shared",
    region: "eu-west-1",
    ...overrides,
  };
  return { schema_name: String(fields.name).toLowerCase().replace(/[^a-z0-9]/g, "_"), ...fields };
};

beforeAll(async () => {
  env = await setUpControlPlane();
  tokens = await startRealmWithTokens();
  fleetDb = await createTestDatabase("reg_fleet");
});

afterAll(async () => {
  await tokens?.realm.stop();
  await env?.close();
  await fleetDb?.drop();
});

describe("/api/databases", () => {
  let sharedId: string;

  it("registers a database after a real connection test, and records that test as its health", async () => {
    const res = await call(collection.POST, "POST", "/api/databases", { token: tokens.operator, body: body() });
    expect(res.status, res.text).toBe(201);
    sharedId = res.json.id;
    expect(res.json).toMatchObject({
      name: "shared-eu",
      connection_type: "shared",
      database_name: fleetDb.name,
      ssl_mode: "prefer",
      is_active: true,
      is_healthy: true,
      has_password: env.server.password !== null,
      created_by: "operator",
    });
    expect(res.json.server_version).toMatch(/^\d+/);
    expect(res.json).not.toHaveProperty("password");
    expect(res.json).not.toHaveProperty("password_encrypted");
  });

  it("refuses a second live connection with the same name (409) without writing", async () => {
    const res = await call(collection.POST, "POST", "/api/databases", { token: tokens.operator, body: body({ region: "us-east-1" }) });
    expect(res.status).toBe(409);
    expect(res.json.details.field).toBe("name");
    const { rows } = await queryOn(env.controlPlane.name, "select count(*)::int as n from console.connections");
    expect(rows[0]?.n).toBe(1);
  });

  it("allows one active admin connection and answers 409 with a clear message for a second", async () => {
    const first = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "admin", connection_type: "admin", region: null, skip_test: true }),
    });
    expect(first.status, first.text).toBe(201);
    const second = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "admin-2", connection_type: "admin", region: null, skip_test: true }),
    });
    expect(second.status).toBe(409);
    expect(second.json.message).toMatch(/only one active admin connection.*admin is active/);
    // An inactive second admin is fine (a standby being prepared) …
    const standby = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "admin-standby", connection_type: "admin", region: null, is_active: false, skip_test: true }),
    });
    expect(standby.status).toBe(201);
    // … but activating it while the first is active is not.
    const activate = await call(item.PATCH, "PATCH", `/api/databases/${standby.json.id}`, {
      token: tokens.operator,
      params: { id: standby.json.id },
      body: { is_active: true },
    });
    expect(activate.status).toBe(409);
  });

  it("allows one active shared connection per region, so a tenant's shared database is never ambiguous", async () => {
    const second = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "shared-eu-2", skip_test: true }),
    });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: "conflict", details: { field: "region", existing: "shared-eu" } });
    const otherRegion = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "shared-us", region: "us-east-1", skip_test: true }),
    });
    expect(otherRegion.status, otherRegion.text).toBe(201);
    const moved = await call(item.PATCH, "PATCH", `/api/databases/${otherRegion.json.id}`, {
      token: tokens.operator,
      params: { id: otherRegion.json.id },
      body: { region: "eu-west-1" },
    });
    expect(moved.status).toBe(409);
    await call(item.DELETE, "DELETE", `/api/databases/${otherRegion.json.id}`, { token: tokens.operator, params: { id: otherRegion.json.id } });
  });

  it("lists with filters, search and pagination, never showing deleted rows", async () => {
    const all = await call(collection.GET, "GET", "/api/databases", { token: tokens.viewer });
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(3);
    const shared = await call(collection.GET, "GET", "/api/databases", {
      token: tokens.viewer,
      query: { connection_type: "shared", region: "eu-west-1" },
    });
    expect(shared.json.items.map((c: { name: string }) => c.name)).toEqual(["shared-eu"]);
    const inactive = await call(collection.GET, "GET", "/api/databases", { token: tokens.viewer, query: { is_active: "false" } });
    expect(inactive.json.items.map((c: { name: string }) => c.name)).toEqual(["admin-standby"]);
    const search = await call(collection.GET, "GET", "/api/databases", { token: tokens.viewer, query: { search: "STANDBY" } });
    expect(search.json.total).toBe(1);
    const page = await call(collection.GET, "GET", "/api/databases", { token: tokens.viewer, query: { limit: "2", offset: "2" } });
    expect(page.json).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(page.json.items).toHaveLength(1);
    const tooMany = await call(collection.GET, "GET", "/api/databases", { token: tokens.viewer, query: { limit: "5000" } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.json.details.fields[0].field).toBe("limit");
  });

  it("re-tests changed connection details and refuses a broken change with nothing written", async () => {
    const res = await call(item.PATCH, "PATCH", `/api/databases/${sharedId}`, {
      token: tokens.operator,
      params: { id: sharedId },
      body: { database_name: "reg_no_such_database" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe("connection_failed");
    expect(res.json.details.code).toBe("3D000");
    const after = await call(item.GET, "GET", `/api/databases/${sharedId}`, { token: tokens.viewer, params: { id: sharedId } });
    expect(after.json.database_name).toBe(fleetDb.name);

    const rename = await call(item.PATCH, "PATCH", `/api/databases/${sharedId}`, {
      token: tokens.operator,
      params: { id: sharedId },
      body: { name: "shared-eu-west-1", port: env.server.port, metadata: { owner: "platform" } },
    });
    expect(rename.status, rename.text).toBe(200);
    expect(rename.json).toMatchObject({ name: "shared-eu-west-1", metadata: { owner: "platform" }, updated_by: "operator" });
  });

  it("never sends a stored password to a new host: moving host or port asks for the password again", async () => {
    const created = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "moving", connection_type: "analytics", region: null, password: "stored-secret", skip_test: true }),
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    const otherHost = env.server.host === "localhost" ? "127.0.0.1" : "localhost";
    const moved = await call(item.PATCH, "PATCH", `/api/databases/${id}`, { token: tokens.operator, params: { id }, body: { host: otherHost, skip_test: true } });
    expect(moved.status).toBe(422);
    expect(moved.json.details.fields).toEqual([expect.objectContaining({ field: "password" })]);
    expect((await call(item.GET, "GET", `/api/databases/${id}`, { token: tokens.viewer, params: { id } })).json.host).toBe(env.server.host);

    const withPassword = await call(item.PATCH, "PATCH", `/api/databases/${id}`, {
      token: tokens.operator,
      params: { id },
      body: { host: otherHost, password: "stored-secret", skip_test: true },
    });
    expect(withPassword.status, withPassword.text).toBe(200);
    expect(withPassword.json.host).toBe(otherHost);
    await call(item.DELETE, "DELETE", `/api/databases/${id}`, { token: tokens.operator, params: { id } });
  });

  it("tests a saved connection on demand and keeps the result in its health history", async () => {
    const res = await call(test.POST, "POST", `/api/databases/${sharedId}/test`, { token: tokens.operator, params: { id: sharedId } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ connection_id: sharedId, success: true, error_code: null });
    expect(res.json.latency_ms).toBeGreaterThanOrEqual(0);
    const h = await call(health.GET, "GET", `/api/databases/${sharedId}/health`, { token: tokens.viewer, params: { id: sharedId } });
    expect(h.status).toBe(200);
    expect(h.json.status).toBe("healthy");
    expect(h.json.history.length).toBeGreaterThanOrEqual(2);
    expect(h.json.history[0].is_healthy).toBe(true);
  });

  it("reports a failed test with PostgreSQL's error instead of pretending to be healthy", async () => {
    const broken = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "analytics", connection_type: "analytics", region: null, database_name: "reg_missing_db", skip_test: true }),
    });
    expect(broken.status).toBe(201);
    expect(broken.json.is_healthy).toBeNull();
    const res = await call(test.POST, "POST", `/api/databases/${broken.json.id}/test`, {
      token: tokens.operator,
      params: { id: broken.json.id },
    });
    expect(res.json).toMatchObject({ success: false, error_code: "3D000" });
    expect(res.json.error_message).toMatch(/reg_missing_db.*does not exist/);
    const h = await call(health.GET, "GET", `/api/databases/${broken.json.id}/health`, {
      token: tokens.viewer,
      params: { id: broken.json.id },
    });
    expect(h.json).toMatchObject({ status: "unhealthy", is_healthy: false });
    expect(h.json.health_error).toMatch(/^3D000: /);
  });

  it("soft-deletes: gone from reads and lists, kept in the table with who and when", async () => {
    const del = await call(item.DELETE, "DELETE", `/api/databases/${sharedId}`, { token: tokens.operator, params: { id: sharedId } });
    expect(del.status).toBe(204);
    const get = await call(item.GET, "GET", `/api/databases/${sharedId}`, { token: tokens.viewer, params: { id: sharedId } });
    expect(get.status).toBe(404);
    const list = await call(collection.GET, "GET", "/api/databases", { token: tokens.viewer, query: { search: "shared" } });
    expect(list.json.total).toBe(0);
    const { rows } = await queryOn(env.controlPlane.name, "select deleted_by, deleted_at, is_active from console.connections where id = $1", [
      sharedId,
    ]);
    expect(rows[0]).toMatchObject({ deleted_by: "operator", is_active: false });
    expect(rows[0]?.deleted_at).toBeInstanceOf(Date);
    // The name is free again for a new registration.
    const again = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "shared-eu-west-1" }),
    });
    expect(again.status, again.text).toBe(201);
  });

  it("audits every change with the actor and without any password", async () => {
    const { rows } = await queryOn(env.controlPlane.name, "select action, actor_name, outcome, details::text as details from console.audit_log");
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["databases.create", "databases.update", "databases.delete", "databases.test"]));
    if (env.server.password) for (const r of rows) expect(r.details).not.toContain(env.server.password);
  });

  it("needs a token (401) and databases:manage to change anything (403 naming it)", async () => {
    const anonymous = await call(collection.GET, "GET", "/api/databases");
    expect(anonymous.status).toBe(401);
    const viewer = await call(collection.POST, "POST", "/api/databases", { token: tokens.viewer, body: body({ name: "x" }) });
    expect(viewer.status).toBe(403);
    expect(viewer.json.message).toContain("databases:manage");
    const ci = await call(collection.POST, "POST", "/api/databases", { token: tokens.ciOperator, body: body({ name: "x" }) });
    expect(ci.status).toBe(403);
    const readable = await call(collection.GET, "GET", "/api/databases", { token: tokens.ciOperator });
    expect(readable.status).toBe(200);
  });

  it("refuses hosts outside ALLOWED_DATABASE_HOSTS before any traffic", async () => {
    const res = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: body({ name: "elsewhere", host: "db.example.com" }),
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: "host_not_allowed", details: { field: "host" } });
  });
});
