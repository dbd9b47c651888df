import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as catalogRoute from "../../app/api/migrations/catalog/route";
import * as executeRoute from "../../app/api/migrations/execute/route";
import * as healthRoute from "../../app/api/migrations/health/route";
import * as databases from "../../app/api/databases/route";
import * as database from "../../app/api/databases/[id]/route";
import * as tenants from "../../app/api/tenants/route";
import * as schedules from "../../app/api/schedules/route";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { METADATA_MAX_BYTES, METADATA_MAX_DEPTH } from "../../server/contracts/metadata";
import { type ApiEnv, setUpApi } from "../api/api-env";
import { callEndpoint } from "../api/contract";
import { ROOT, discoverRouteFiles, fillTemplate, importRoute, methodsOf } from "../api/routes";
import { setEnv } from "../support/test-env";

/**
 * Bodies built to hurt: every operation that takes a body refuses each of them with a 4xx that
 * says why (never a 500, never a write, never an answer larger than the question deserves), and
 * the bounds behind that hold field by field: database names like identifiers with or without the
 * connection test, metadata depth and size, errors about thousands of ids, no server path in any
 * answer.
 */

let env: ApiEnv;
let admin: string;

beforeAll(async () => {
  env = await setUpApi();
  admin = await env.tokenWith("infrastructure:admin");
});

afterAll(async () => {
  await env?.close();
});

const deep = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/** Bodies no operation may accept. */
const HOSTILE: Array<[string, string]> = [
  ["JSON nested 3,000 levels deep", JSON.stringify(deep(3_000))],
  ["an array nested 100,000 levels deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
  ["an array", "[1,2,3]"],
  ["a bare string", '"hello"'],
  ["null", "null"],
  ["a number", "1e309"],
  ["prototype pollution", '{"__proto__": {"is_admin": true}, "constructor": {"prototype": {"x": 1}}}'],
  ["a NUL byte in a key", '{"na\\u0000me": "x"}'],
  ["a 900 kB string in an unknown field", JSON.stringify({ blob: "x".repeat(900_000) })],
  ["truncated JSON", '{"name": '],
];

describe("every operation that takes a body", async () => {
  const cases: Array<{ key: string; file: string; method: string; template: string }> = [];
  for (const route of discoverRouteFiles().filter((r) => !r.catchAll)) {
    const routeModule = await importRoute(route);
    for (const method of methodsOf(routeModule)) if (routeModule[method]!.endpoint.body) cases.push({ key: `${method} ${route.template}`, file: route.file, method, template: route.template });
  }

  it("is found (a walk that finds nothing proves nothing)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c) => [c.key, c] as const))("%s refuses hostile bodies with a 4xx and a short reason", async (_key, c) => {
    const handler = (await importRoute({ file: c.file, template: c.template, catchAll: false }))[c.method as "POST"]!;
    const params = Object.fromEntries([...c.template.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, randomUUID()]));
    for (const [what, body] of HOSTILE) {
      const request = new Request(`http://localhost:3000${fillTemplate(c.template, params)}`, {
        method: c.method,
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body,
      });
      const response = await handler(request, { params: Promise.resolve(params) });
      const text = await response.text();
      expect([400, 413, 422], `${c.key} with ${what}: ${text.slice(0, 300)}`).toContain(response.status);
      expect(JSON.parse(text)).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect(text.length, `${c.key} with ${what} answered ${text.length} bytes`).toBeLessThan(4_096);
    }
  });
});

describe("database names", () => {
  const register = (overrides: Record<string, unknown>) =>
    callEndpoint(databases.POST, {
      token: admin,
      body: { name: `db-${randomUUID().slice(0, 8)}`, host: "127.0.0.1", username: "u", connection_type: "analytics", skip_test: true, database_name: "ok", ...overrides },
    });

  it.each([
    'x"; drop schema public; --',
    "x'; select pg_sleep(10); --",
    "two words",
    "1starts_with_a_digit",
    "semi;colon",
    "slash/name",
    "é_accented",
    "a".repeat(64),
  ])("are refused like identifiers even when the connection test is skipped: %s", async (name) => {
    const res = await register({ database_name: name });
    expect(res.status, res.text).toBe(422);
    expect(res.json.details.fields.map((f: { field: string }) => f.field)).toEqual(["database_name"]);
  });

  it("accept what real fleets use: upper case, digits, underscores, dashes", async () => {
    const res = await register({ database_name: "Orders-Prod_2024" });
    expect(res.status, res.text).toBe(201);
    const id = res.json.id as string;
    const renamed = await callEndpoint(database.PATCH, { token: admin, params: { id }, body: { database_name: 'x"; drop', skip_test: true } });
    expect(renamed.status).toBe(422);
  });
});

describe("metadata", () => {
  const connection = (metadata: unknown) =>
    callEndpoint(databases.POST, {
      token: admin,
      body: { name: `meta-${randomUUID().slice(0, 8)}`, host: "127.0.0.1", username: "u", database_name: "meta", connection_type: "analytics", skip_test: true, schema_name: `m_${randomUUID().slice(0, 8)}`, metadata },
    });

  it(`is refused past ${METADATA_MAX_DEPTH} levels deep or ${METADATA_MAX_BYTES} bytes, naming the field`, async () => {
    for (const metadata of [{ nested: deep(3_000) }, { nested: deep(METADATA_MAX_DEPTH) }, { blob: "x".repeat(METADATA_MAX_BYTES) }]) {
      const res = await connection(metadata);
      expect(res.status, res.text).toBe(422);
      expect(res.json.details.fields).toEqual([expect.objectContaining({ field: "metadata" })]);
    }
    const tenant = await callEndpoint(tenants.POST, { token: admin, body: { slug: "deep", name: "Deep", connection_id: randomUUID(), metadata: deep(50) } });
    expect(tenant.status).toBe(422);
    expect(tenant.json.details.fields).toEqual([expect.objectContaining({ field: "metadata" })]);
    const schedule = await callEndpoint(schedules.POST, { token: admin, body: { name: "deep", scope: "all", cron: "0 3 * * *", metadata: deep(50) } });
    expect(schedule.status).toBe(422);
    expect(schedule.json.details.fields.map((f: { field: string }) => f.field)).toContain("metadata");
  });

  it("up to the limits is stored and returned as given", async () => {
    const metadata = { owner: "team-db", nested: deep(METADATA_MAX_DEPTH - 2, "leaf") };
    const res = await connection(metadata);
    expect(res.status, res.text).toBe(201);
    expect(res.json.metadata).toEqual(metadata);
  });
});

describe("errors about many ids", () => {
  it("a 10,000-id scope of unknown tenants is a 404 naming a few of them and the count", async () => {
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    const res = await callEndpoint(executeRoute.POST, { token: admin, body: { scope: "tenant", tenant_ids: ids, dry_run: true } });
    expect(res.status).toBe(404);
    expect(res.text.length).toBeLessThan(2_048);
    expect(res.json.message).toBe(`unknown tenant(s): ${ids.slice(0, 5).join(", ")} and 9,995 more`);
    expect(res.json.details).toMatchObject({ resource: "tenant", count: 10_000 });
    expect(res.json.details.ids).toEqual(ids.slice(0, 20));
  });

  it("10,000 malformed ids are a 422 naming a few and counting the rest", async () => {
    const res = await callEndpoint(executeRoute.POST, { token: admin, body: { scope: "tenant", tenant_ids: Array.from({ length: 10_000 }, (_, i) => `not-a-uuid-${i}`) } });
    expect(res.status).toBe(422);
    expect(res.text.length).toBeLessThan(4_096);
    expect(res.json.message).toMatch(/and 9,995 more$/);
    expect(res.json.details.fields).toHaveLength(20);
    expect(res.json.details.field_count).toBe(10_000);
  });
});

describe("server paths", () => {
  afterAll(() => {
    setEnv({ MIGRATIONS_DIR: "" });
    resetCatalogStore();
  });

  it("the catalog and the engine's health name MIGRATIONS_DIR relative to the console, never absolutely", async () => {
    const catalog = await callEndpoint(catalogRoute.GET, { token: admin });
    expect(catalog.status).toBe(200);
    expect(catalog.json.dir).toBe("examples/migrations");
    expect(catalog.text).not.toContain(ROOT);
    const health = await callEndpoint(healthRoute.GET, { token: admin });
    expect(health.json.engine.dir).toBe("examples/migrations");
    expect(health.text).not.toContain(ROOT);
  });

  it("errors of a catalog that cannot load name files relative to the catalog, and the folder by its name", async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), "catalog-outside-"));
    try {
      for (const [dir, reason] of [
        [path.join(outside, "missing"), /MIGRATIONS_DIR missing does not exist/],
        [outside, /tenant\/0001_dir\.sql:1: cannot read \(EISDIR\)/],
      ] as const) {
        if (dir === outside) mkdirSync(path.join(outside, "tenant", "0001_dir.sql"), { recursive: true });
        else writeFileSync(path.join(outside, "README.md"), "catalog");
        setEnv({ MIGRATIONS_DIR: dir });
        resetCatalogStore();
        for (const handler of [catalogRoute.GET, healthRoute.GET]) {
          const res = await callEndpoint(handler, { token: admin });
          expect(res.text).not.toContain(outside);
          expect(res.text).not.toContain(os.tmpdir());
          expect(res.text).toMatch(reason);
        }
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
