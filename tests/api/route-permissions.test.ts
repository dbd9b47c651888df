import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Endpoint } from "../../server/contracts/endpoint";
import type { RouteHandler } from "../../server/http/route";
import { type ApiEnv, setUpApi } from "./api-env";
import { discoverRouteFiles, fillTemplate, importRoute, methodsOf, type RouteFile } from "./routes";

/**
 * Every route handler under app/api, discovered from the files (a new route cannot be forgotten):
 * without credentials → 401; with a valid token lacking the route's permission → 403 naming it;
 * with exactly that permission → neither. Routes open to anyone are an explicit, reviewed list.
 */

/** Reviewed: answered without credentials. Health probes and the API description. */
const PUBLIC = new Set(["GET /api/health", "GET /api/health/live", "GET /api/health/ready", "GET /api/openapi.json"]);

/** Reviewed: not built with route(), each with the reason. */
const NOT_WRAPPED: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "Auth.js's sign-in flow: it must answer signed-out browsers, and checks its own CSRF token",
};

/** Path parameters that get past validation to the permission-checked code (they name nothing). */
const SAMPLE_PARAMS: Record<string, string> = { id: randomUUID(), name: "control_plane" };

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

describe("every route under app/api", async () => {
  const routes = discoverRouteFiles();
  const cases: Array<{ route: RouteFile; method: string }> = [];
  for (const route of routes) {
    if (NOT_WRAPPED[route.file]) continue;
    for (const method of methodsOf(await importRoute(route))) cases.push({ route, method });
  }

  it("discovers the routes (a walk that finds nothing proves nothing)", () => {
    expect(cases.length).toBeGreaterThan(15);
  });

  it("the reviewed lists name routes that exist", () => {
    const keys = new Set(cases.map((c) => `${c.method} ${c.route.template}`));
    for (const key of PUBLIC) expect(keys).toContain(key);
    const files = new Set(routes.map((r) => r.file));
    for (const file of Object.keys(NOT_WRAPPED)) expect(files).toContain(file);
  });

  it.each(cases.map((c) => [`${c.method} ${c.route.template}`, c] as const))("%s", async (key, { route, method }) => {
    const handler = (await importRoute(route))[method as "GET"]!;
    const endpoint: Endpoint | undefined = handler.endpoint;
    expect(endpoint, `${key} is not built with route(): it would skip authentication`).toBeDefined();
    expect(`${endpoint!.method} ${endpoint!.path}`, "the contract describes another route").toBe(key);
    expect(endpoint!.access === "public", `${key}: public only if on the reviewed list`).toBe(PUBLIC.has(key));

    if (endpoint!.access === "public") {
      const open = await send(route, method, handler);
      expect([401, 403], `${key} refused an anonymous caller`).not.toContain(open.status);
      return;
    }

    const anonymous = await send(route, method, handler);
    expect(anonymous.status, `${key} without a token: ${anonymous.text}`).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const garbage = await send(route, method, handler, "not-a-token");
    expect(garbage.status, `${key} with a malformed token`).toBe(401);

    if (endpoint!.access === "authenticated") {
      const anyone = await send(route, method, handler, await env.token([]));
      expect([401, 403], `${key} refused a signed-in caller without roles: ${anyone.text}`).not.toContain(anyone.status);
      return;
    }

    const permission = endpoint!.access;
    const without = await send(route, method, handler, await env.tokenWithout(permission));
    expect(without.status, `${key} without ${permission}: ${without.text}`).toBe(403);
    expect(JSON.parse(without.text)).toMatchObject({ error: "forbidden", details: { required_permission: permission } });
    expect(without.text).toContain(permission);

    const withIt = await send(route, method, handler, await env.tokenWith(permission));
    expect([401, 403], `${key} with ${permission}: ${withIt.text}`).not.toContain(withIt.status);

    if (permission !== "infrastructure:admin") {
      const admin = await send(route, method, handler, await env.tokenWith("infrastructure:admin"));
      expect([401, 403], `${key} with infrastructure:admin (implies every permission)`).not.toContain(admin.status);
    }
  });
});
