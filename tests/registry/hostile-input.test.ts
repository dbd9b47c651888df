import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as databases from "../../app/api/databases/route";
import * as database from "../../app/api/databases/[id]/route";
import * as tenants from "../../app/api/tenants/route";
import * as tenant from "../../app/api/tenants/[id]/route";
import * as discover from "../../app/api/tenants/discover/route";
import { createTestDatabase, queryOn, type TestDatabase } from "../support/database";
import { type ControlPlaneEnv, setUpControlPlane } from "../support/test-env";
import { type ApiResponse, call } from "../support/api-call";
import { startRealmWithTokens, type Tokens } from "../support/realm-tokens";

/**
 * Acceptance 4: hostile input is refused at the door with the field named — schema names carrying
 * quotes, spaces, SQL or more than 63 bytes, out-of-range ports, unknown tiers, malformed JSON —
 * and nothing is written: no rows, no schema on the fleet database.
 */

let env: ControlPlaneEnv;
let tokens: Tokens;
let fleetDb: TestDatabase;
let sharedId: string;

beforeAll(async () => {
  env = await setUpControlPlane();
  tokens = await startRealmWithTokens();
  fleetDb = await createTestDatabase("reg_hostile");
  const res = await call(databases.POST, "POST", "/api/databases", { token: tokens.operator, body: connection() });
  expect(res.status, res.text).toBe(201);
  sharedId = res.json.id;
});

afterAll(async () => {
  await tokens?.realm.stop();
  await env?.close();
  await fleetDb?.drop();
});

function connection(overrides: Record<string, unknown> = {}) {
  return {
    name: "shared-eu",
    host: env.server.host,
    port: env.server.port,
    database_name: fleetDb.name,
    username: env.server.username,
    password: env.server.password,
    connection_type: "shared",
    region: "eu-west-1",
    ...overrides,
  };
}

/** The fields a 422 names. */
const fieldsOf = (res: ApiResponse): string[] => (res.json?.details?.fields ?? []).map((f: { field: string }) => f.field);

async function schemasOnFleet(): Promise<string[]> {
  const { rows } = await queryOn<{ nspname: string }>(
    fleetDb.name,
    "select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname not in ('public', 'information_schema')",
  );
  return rows.map((r) => r.nspname);
}

describe("hostile tenant schema names", () => {
  const hostile: Array<[string, string]> = [
    ["a double quote", 'tenant_x"; drop schema public cascade; --'],
    ["a single quote", "tenant_o'brien"],
    ["a space", "tenant acme"],
    ["SQL", "tenant_x;drop table y"],
    ["a comment", "tenant_x--"],
    ["64 bytes", `t${"a".repeat(63)}`],
    ["64 bytes of multibyte letters", "é".repeat(32)],
    ["upper case (would need quoting forever)", "Tenant_Acme"],
    ["a leading digit", "1tenant"],
    ["a reserved pg_ prefix", "pg_tenant"],
    ["the shared public schema", "public"],
    ["a NUL byte", "tenant_\u0000x"],
    ["an empty name", ""],
  ];

  it.each(hostile)("refuses a schema name with %s (422 naming schema_name), creating nothing", async (_what, schemaName) => {
    const res = await call(tenants.POST, "POST", "/api/tenants", {
      token: tokens.operator,
      body: { slug: "acme", name: "Acme", connection_id: sharedId, schema_name: schemaName, create_schema: true },
    });
    expect(res.status, res.text).toBe(422);
    expect(fieldsOf(res)).toEqual(["schema_name"]);
  });

  it("accepts the longest valid name (63 bytes), so the limit is exactly PostgreSQL's", async () => {
    const name = `t${"a".repeat(62)}`;
    const res = await call(tenants.POST, "POST", "/api/tenants", {
      token: tokens.operator,
      body: { slug: "longest", name: "Longest", connection_id: sharedId, schema_name: name, create_schema: true },
    });
    expect(res.status, res.text).toBe(201);
    expect(await schemasOnFleet()).toEqual([name]);
  });

  it("refuses a slug whose default schema name would not fit, and hostile slugs", async () => {
    for (const slug of ["a".repeat(57), "acme corp", "acme_corp", "Acme", "-acme", "acme;drop"]) {
      const res = await call(tenants.POST, "POST", "/api/tenants", {
        token: tokens.operator,
        body: { slug, name: "X", connection_id: sharedId, create_schema: true },
      });
      expect(res.status, slug).toBe(422);
      expect(fieldsOf(res)).toEqual(["slug"]);
    }
  });

  it("refuses hostile discovery patterns and registrations", async () => {
    const pattern = await call(discover.GET, "GET", "/api/tenants/discover", {
      token: tokens.operator,
      query: { connection_id: sharedId, pattern: "tenant_%' or '1'='1" },
    });
    expect(pattern.status).toBe(422);
    expect(fieldsOf(pattern)).toEqual(["pattern"]);
    const register = await call(discover.POST, "POST", "/api/tenants/discover", {
      token: tokens.operator,
      body: { connection_id: sharedId, tenants: [{ schema_name: "tenant_ok" }, { schema_name: 'bad"name' }] },
    });
    expect(register.status).toBe(422);
    expect(fieldsOf(register)).toEqual(["tenants.1.schema_name"]);
  });

  it("refuses unknown statuses and fields on update", async () => {
    const { rows } = await queryOn<{ id: string }>(env.controlPlane.name, "select id from console.tenants limit 1");
    const id = rows[0]!.id;
    const status = await call(tenant.PATCH, "PATCH", `/api/tenants/${id}`, { token: tokens.operator, params: { id }, body: { status: "deleted" } });
    expect(status.status).toBe(422);
    expect(fieldsOf(status)).toEqual(["status"]);
    const extra = await call(tenant.PATCH, "PATCH", `/api/tenants/${id}`, { token: tokens.operator, params: { id }, body: { slug: "renamed" } });
    expect(extra.status).toBe(422);
    expect(extra.json.message).toContain("slug");
  });
});

describe("hostile connection input", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["port 0", { port: 0 }, "port"],
    ["port 65536", { port: 65536 }, "port"],
    ["a negative port", { port: -5432 }, "port"],
    ["a fractional port", { port: 5432.5 }, "port"],
    ["a port that is text", { port: "5432; drop" }, "port"],
    ["a port that is a boolean", { port: true }, "port"],
    ["an unknown tier", { connection_type: "superuser" }, "connection_type"],
    ["a tier in the wrong case", { connection_type: "Shared" }, "connection_type"],
    ["an unknown ssl mode", { ssl_mode: "maybe" }, "ssl_mode"],
    ["a host with a space", { host: "db host" }, "host"],
    ["a host that is a URL", { host: "http://db.internal/" }, "host"],
    ["a host with a shell character", { host: "db;rm" }, "host"],
    ["a name with a newline", { name: "shared\neu" }, "name"],
    ["a database name with a control character", { database_name: "x\u0001" }, "database_name"],
    ["a hostile target schema", { schema_name: 'public"; drop' }, "schema_name"],
    ["a region with spaces", { region: "eu west" }, "region"],
    ["a shared database without a region", { region: null }, "region"],
    ["a 2 kB password", { password: "p".repeat(2048) }, "password"],
  ];

  it.each(cases)("refuses %s with 422 naming the field", async (_what, overrides, field) => {
    const res = await call(databases.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: connection({ name: "hostile", ...overrides }),
    });
    expect(res.status, res.text).toBe(422);
    expect(fieldsOf(res)).toContain(field);
  });

  it("refuses an unknown field instead of ignoring it", async () => {
    const res = await call(databases.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: { ...connection({ name: "hostile" }), passwd: "x" },
    });
    expect(res.status).toBe(422);
    expect(res.json.message).toContain("passwd");
  });

  it("answers malformed JSON with 400 and a body of another type with 400", async () => {
    const malformed = await call(databases.POST, "POST", "/api/databases", { token: tokens.operator, rawBody: '{"name": "x", ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toBe("bad_request");
    const array = await call(databases.POST, "POST", "/api/databases", { token: tokens.operator, rawBody: "[1,2]" });
    expect(array.status).toBe(422);
  });

  it("validates path and query parameters too", async () => {
    const badId = await call(database.GET, "GET", "/api/databases/1 or 1=1", { token: tokens.viewer, params: { id: "1 or 1=1" } });
    expect(badId.status).toBe(422);
    expect(fieldsOf(badId)).toEqual(["id"]);
    for (const [key, value] of [
      ["is_active", "maybe"],
      ["limit", "-1"],
      ["offset", "x"],
      ["connection_type", "root"],
      ["sort", "name"],
    ] as const) {
      const res = await call(databases.GET, "GET", "/api/databases", { token: tokens.viewer, query: { [key]: value } });
      expect(res.status, `${key}=${value}`).toBe(422);
    }
    const search = await call(databases.GET, "GET", "/api/databases", { token: tokens.viewer, query: { search: "%' or 1=1 --" } });
    expect(search.status).toBe(200);
    expect(search.json.total).toBe(0);
  });

  it("refuses a hostile update the same way, leaving the row as it was", async () => {
    const before = await call(database.GET, "GET", `/api/databases/${sharedId}`, { token: tokens.viewer, params: { id: sharedId } });
    for (const body of [{ port: 70000 }, { connection_type: "root" }, { schema_name: "a b" }, {}]) {
      const res = await call(database.PATCH, "PATCH", `/api/databases/${sharedId}`, { token: tokens.operator, params: { id: sharedId }, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const after = await call(database.GET, "GET", `/api/databases/${sharedId}`, { token: tokens.viewer, params: { id: sharedId } });
    expect(after.json).toEqual(before.json);
  });
});

describe("after all of that", () => {
  it("wrote only what was valid: one connection, one tenant, one schema", async () => {
    const { rows } = await queryOn(
      env.controlPlane.name,
      "select (select count(*)::int from console.connections) as connections, (select count(*)::int from console.tenants) as tenants",
    );
    expect(rows[0]).toEqual({ connections: 1, tenants: 1 });
    expect(await schemasOnFleet()).toEqual([`t${"a".repeat(62)}`]);
  });
});
