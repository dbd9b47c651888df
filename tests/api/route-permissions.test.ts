import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Access, Endpoint } from "../../server/contracts/endpoint";
import type { RouteHandler } from "../../server/http/route";
import { buildOpenApiDocument } from "../../server/openapi/document";
import { endpointsOf } from "../../server/openapi/endpoints";
import { type ApiEnv, setUpApi } from "./api-env";
import { ROOT, discoverRouteFiles, fillTemplate, importRoute, type RouteFile } from "./routes";

/**
 * The route × permission matrix, generated from the OpenAPI document: every operation it
 * publishes must have a reviewed entry below, and the document, the route's contract and the
 * route's behaviour must all agree with it — without credentials → 401; with a valid token lacking
 * the permission → 403 naming it; with exactly that permission (and with infrastructure:admin,
 * which implies all) → neither, and nothing of the server's file system in the answer. A new route
 * without an entry, or an entry whose route changed its permission, fails here: lowering a route's
 * permission takes a reviewed change to this table. (tests/api/openapi.test.ts keeps every route
 * file in the document.)
 */

const PERMISSION_MATRIX: Record<string, Access> = {
  "GET /api/health": "public",
  "GET /api/health/live": "public",
  "GET /api/health/ready": "public",
  "GET /api/openapi.json": "public",

  "GET /api/auth/me": "authenticated",

  "GET /api/databases": "databases:read",
  "GET /api/databases/{id}": "databases:read",
  "GET /api/databases/{id}/health": "databases:read",
  "POST /api/databases": "databases:manage",
  "PATCH /api/databases/{id}": "databases:manage",
  "DELETE /api/databases/{id}": "databases:manage",
  "POST /api/databases/{id}/test": "databases:manage",

  "GET /api/tenants": "migrations:read",
  "GET /api/tenants/{id}": "migrations:read",
  "GET /api/tenants/{id}/migrations": "migrations:read",
  "POST /api/tenants": "databases:manage",
  "PATCH /api/tenants/{id}": "databases:manage",
  "GET /api/tenants/discover": "databases:manage",
  "POST /api/tenants/discover": "databases:manage",
  "POST /api/tenants/{id}/migrate": "migrations:execute",
  "POST /api/tenants/{id}/rollback": "migrations:execute",
  // Dropping a tenant's data, and the row counts its preview shows, are for admins only.
  "GET /api/tenants/{id}/drop-preview": "infrastructure:admin",
  "DELETE /api/tenants/{id}/schema": "infrastructure:admin",

  "GET /api/migrations": "migrations:read",
  "GET /api/migrations/status/{id}": "migrations:read",
  "GET /api/migrations/{id}/events": "migrations:read",
  "GET /api/migrations/{id}/locks": "migrations:read",
  "GET /api/migrations/catalog": "migrations:read",
  "GET /api/migrations/fleet-state": "migrations:read",
  "GET /api/migrations/dynamic/plan": "migrations:read",
  "GET /api/migrations/dynamic/targets": "migrations:read",
  "GET /api/migrations/health": "migrations:read",
  "POST /api/migrations/execute": "migrations:execute",
  "GET /api/migrations/rollback/plan": "migrations:read",
  "POST /api/migrations/rollback": "migrations:execute",
  "POST /api/migrations/rollback/to-version": "migrations:execute",
  "POST /api/migrations/{id}/retry": "migrations:execute",
  "POST /api/migrations/{id}/cancel": "migrations:execute",
  "POST /api/migrations/{id}/resume": "migrations:execute",
  "POST /api/migrations/{id}/approve": "migrations:manage",
  "POST /api/migrations/baseline": "migrations:manage",
  "POST /api/migrations/drift/accept": "migrations:manage",
  "POST /api/migrations/interrupted/resolve": "migrations:manage",

  "GET /api/schedules": "migrations:manage",
  "GET /api/schedules/{id}": "migrations:manage",
  "POST /api/schedules": "migrations:manage",
  "PATCH /api/schedules/{id}": "migrations:manage",
  "DELETE /api/schedules/{id}": "migrations:manage",

  "GET /api/webhooks": "infrastructure:admin",
  "GET /api/webhooks/{id}": "infrastructure:admin",
  "GET /api/webhooks/{id}/deliveries": "infrastructure:admin",
  "POST /api/webhooks": "infrastructure:admin",
  "PATCH /api/webhooks/{id}": "infrastructure:admin",
  "DELETE /api/webhooks/{id}": "infrastructure:admin",
  "POST /api/webhooks/{id}/test": "infrastructure:admin",

  // Windows are read by anyone who follows executions; changing them, or starting outside them, is for admins.
  "GET /api/maintenance-windows": "migrations:read",
  "GET /api/maintenance-windows/{id}": "migrations:read",
  "POST /api/maintenance-windows": "infrastructure:admin",
  "PATCH /api/maintenance-windows/{id}": "infrastructure:admin",
  "DELETE /api/maintenance-windows/{id}": "infrastructure:admin",
  "POST /api/migrations/{id}/window-override": "infrastructure:admin",

  "GET /api/audit": "infrastructure:admin",
  "GET /api/health/detailed": "infrastructure:admin",
  "GET /api/health/metrics": "infrastructure:admin",
  "GET /api/health/services/{name}": "infrastructure:admin",
  "GET /api/metrics": "infrastructure:admin",
};

/** Path parameters that get past validation to the permission-checked code (they name nothing). */
const SAMPLE_PARAMS: Record<string, string> = { id: randomUUID(), name: "control_plane" };

/** Every operation of the published document with the permission it declares. */
function documentedOperations(): Array<{ key: string; permission: string }> {
  const doc = buildOpenApiDocument(endpointsOf(), { title: "matrix", version: "test" }) as {
    paths: Record<string, Record<string, { "x-permission": string }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, permission: op["x-permission"] })),
  );
}

let env: ApiEnv;

beforeAll(async () => {
  env = await setUpApi();
});

afterAll(async () => {
  await env?.close();
});

async function send(route: RouteFile, method: string, handler: RouteHandler, token?: string) {
  const params = Object.fromEntries([...route.template.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, SAMPLE_PARAMS[name!] ?? "x"]));
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const hasBody = !["GET", "HEAD", "DELETE", "OPTIONS"].includes(method);
  if (hasBody) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost:3000${fillTemplate(route.template, params)}`, {
    method,
    headers,
    body: hasBody ? "{}" : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  // Streams (SSE) must not keep the test waiting: only the status and the start of the body matter.
  const text = response.headers.get("content-type")?.includes("event-stream") ? "" : await response.text();
  if (!text) await response.body?.cancel();
  return { status: response.status, text, headers: response.headers };
}

describe("the route × permission matrix", async () => {
  const operations = documentedOperations();
  const files = new Map(discoverRouteFiles().map((r) => [r.template, r]));
  const cases = operations.map(({ key, permission }) => {
    const [method, template] = key.split(" ") as [string, string];
    return { key, method, documented: permission, route: files.get(template) };
  });

  it("covers every operation of the OpenAPI document, and only those", () => {
    expect(operations.length).toBeGreaterThan(30);
    const documented = operations.map((o) => o.key).sort();
    expect(documented.filter((k) => !(k in PERMISSION_MATRIX)), "operations without a reviewed entry in PERMISSION_MATRIX").toEqual([]);
    expect(Object.keys(PERMISSION_MATRIX).filter((k) => !documented.includes(k)), "entries for operations that no longer exist").toEqual([]);
  });

  it.each(cases.map((c) => [c.key, c] as const))("%s", async (key, { method, documented, route }) => {
    const expected = PERMISSION_MATRIX[key]!;
    expect(documented, `${key}: the OpenAPI document declares ${documented}, the reviewed matrix ${expected}`).toBe(expected);
    expect(route, `${key} has no route file`).toBeDefined();
    const handler = (await importRoute(route!))[method as "GET"]!;
    const endpoint: Endpoint | undefined = handler.endpoint;
    expect(endpoint, `${key} is not built with route(): it would skip authentication`).toBeDefined();
    expect(`${endpoint!.method} ${endpoint!.path}`, "the contract describes another route").toBe(key);
    expect(endpoint!.access, `${key}: the route checks ${endpoint!.access}, the reviewed matrix says ${expected}`).toBe(expected);

    if (expected === "public") {
      const open = await send(route!, method, handler);
      expect([401, 403], `${key} refused an anonymous caller`).not.toContain(open.status);
      expect(open.text).not.toContain(ROOT);
      return;
    }

    const anonymous = await send(route!, method, handler);
    expect(anonymous.status, `${key} without a token: ${anonymous.text}`).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const garbage = await send(route!, method, handler, "not-a-token");
    expect(garbage.status, `${key} with a malformed token`).toBe(401);

    if (expected === "authenticated") {
      const anyone = await send(route!, method, handler, await env.token([]));
      expect([401, 403], `${key} refused a signed-in caller without roles: ${anyone.text}`).not.toContain(anyone.status);
      return;
    }

    const without = await send(route!, method, handler, await env.tokenWithout(expected));
    expect(without.status, `${key} without ${expected}: ${without.text}`).toBe(403);
    expect(JSON.parse(without.text)).toMatchObject({ error: "forbidden", details: { required_permission: expected } });
    expect(without.text).toContain(expected);

    const withIt = await send(route!, method, handler, await env.tokenWith(expected));
    expect([401, 403], `${key} with ${expected}: ${withIt.text}`).not.toContain(withIt.status);
    expect(withIt.text, `${key} answered with a server path`).not.toContain(ROOT);

    if (expected !== "infrastructure:admin") {
      const admin = await send(route!, method, handler, await env.tokenWith("infrastructure:admin"));
      expect([401, 403], `${key} with infrastructure:admin (implies every permission)`).not.toContain(admin.status);
      expect(admin.text, `${key} answered with a server path`).not.toContain(ROOT);
    }
  });
});

describe("route files", () => {
  /** Reviewed: not built with route(), each with the reason. */
  const NOT_WRAPPED: Record<string, string> = {
    "app/api/auth/[...nextauth]/route.ts": "Auth.js's sign-in flow: it must answer signed-out browsers, and checks its own CSRF token",
  };

  it("all are in the document (so in the matrix), except the reviewed ones", () => {
    const documented = new Set(documentedOperations().map((o) => o.key.split(" ")[1]));
    const missing = discoverRouteFiles().filter((r) => !NOT_WRAPPED[r.file] && !documented.has(r.template));
    expect(missing.map((r) => r.file)).toEqual([]);
    for (const file of Object.keys(NOT_WRAPPED)) expect(discoverRouteFiles().map((r) => r.file)).toContain(file);
  });
});
