import { readdirSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as openapiRoute from "../../app/api/openapi.json/route";
import { API_MODULES, endpointsOf } from "../../server/openapi/endpoints";
import { setEnv } from "../support/test-env";
import { callEndpoint } from "./contract";
import { discoverRouteFiles, importRoute, methodsOf, ROOT } from "./routes";

/**
 * Acceptance 1: the published OpenAPI document is valid OpenAPI 3.1 by a real validator, and every
 * route file under app/api appears in it with each method it exports, described by the same
 * contract object the route handler runs with.
 */

/** Routes that are not the console's REST API, each with the reason it was reviewed out. */
const NOT_IN_DOCUMENT: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "Auth.js's own sign-in, callback, session and CSRF endpoints (browser flow, not automation)",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read as plain JSON
let doc: any;

beforeAll(async () => {
  // The document route is public and rate limited; no database is needed with limits off.
  setEnv({ ENVIRONMENT: "testing", RATE_LIMIT_ENABLED: "false", AUTH_URL: "" });
  const res = await callEndpoint(openapiRoute.GET);
  expect(res.status).toBe(200);
  doc = res.json;
});

afterAll(() => setEnv({ RATE_LIMIT_ENABLED: "" }));

describe("the OpenAPI document", () => {
  it("validates as OpenAPI 3.1 with swagger-parser, references resolved", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const validated = await SwaggerParser.validate(structuredClone(doc));
    expect(Object.keys(validated.paths ?? {}).length).toBeGreaterThan(10);
  });

  it("a broken document is refused by the same validator (the check can fail)", async () => {
    const broken = structuredClone(doc);
    broken.paths["/api/databases"].get.responses["200"].content["application/json"].schema = { $ref: "#/components/schemas/Missing" };
    await expect(SwaggerParser.validate(broken)).rejects.toThrow(/Missing/);
  });

  it("lists every route file under app/api with each exported method, using the route's own contract", async () => {
    const routes = discoverRouteFiles();
    expect(routes.length).toBeGreaterThan(10);
    const documented = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${p}`);
    }
    const byOperation = new Map(endpointsOf().map((e) => [`${e.endpoint.method} ${e.endpoint.path}`, e.endpoint]));
    const missing: string[] = [];
    const covered = new Set<string>();
    for (const route of routes) {
      if (NOT_IN_DOCUMENT[route.file]) continue;
      const routeModule = await importRoute(route);
      const methods = methodsOf(routeModule);
      expect(methods.length, `${route.file} exports no HTTP method`).toBeGreaterThan(0);
      for (const method of methods) {
        const key = `${method} ${route.template}`;
        covered.add(key);
        if (!documented.has(key)) missing.push(`${key} (${route.file})`);
        const contract = routeModule[method]!.endpoint;
        expect(contract, `${key} is not built with route()`).toBeDefined();
        expect(byOperation.get(key), `${key}: add its api.ts to API_MODULES in server/openapi/endpoints.ts`).toBeDefined();
        // The handler validates with the very contract the document describes.
        expect(contract, `${key} runs with another contract than the one documented`).toBe(byOperation.get(key));
      }
    }
    expect(missing, "routes missing from /api/openapi.json").toEqual([]);
    expect([...documented].filter((k) => !covered.has(k)), "documented operations without a route").toEqual([]);
  });

  it("the reviewed exceptions still exist (a stale exception would hide nothing, but mislead)", () => {
    const files = new Set(discoverRouteFiles().map((r) => r.file));
    for (const file of Object.keys(NOT_IN_DOCUMENT)) expect(files).toContain(file);
  });

  it("is built from every api.ts contracts file under server/", () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === "api.ts") found.push(path.relative(ROOT, full).replace(/\.ts$/, "").split(path.sep).join("/"));
      }
    };
    walk(path.join(ROOT, "server"));
    expect(API_MODULES.map((m) => m.file).sort(), "list each api.ts in API_MODULES (server/openapi/endpoints.ts)").toEqual(found.sort());
  });

  it("describes each operation: permission, security, parameters, body, success and error responses", () => {
    const op = doc.paths["/api/databases"].post;
    expect(op["x-permission"]).toBe("databases:manage");
    expect(op.description).toContain("Requires permission `databases:manage`");
    expect(op.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(op.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["name", "host", "database_name", "username", "connection_type"]),
    );
    // Strict bodies are published as such: unknown fields are refused.
    expect(op.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    expect(op.responses["201"].content["application/json"].schema.properties).toHaveProperty("has_password");
    expect(op.responses["201"].content["application/json"].schema.properties).not.toHaveProperty("password");
    for (const status of ["400", "401", "403", "409", "413", "422", "429", "503"]) expect(op.responses).toHaveProperty(status);

    const list = doc.paths["/api/databases"].get;
    const limit = list.parameters.find((p: { name: string }) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", required: false, schema: { type: "integer", maximum: 200 } });

    const item = doc.paths["/api/databases/{id}"].get;
    expect(item.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(item.responses).toHaveProperty("404");

    const health = doc.paths["/api/health"].get;
    expect(health.security).toEqual([]);
    expect(health["x-permission"]).toBe("public");
    expect(health.responses).not.toHaveProperty("429");
    expect(health.responses).not.toHaveProperty("401");

    expect(doc.paths["/api/metrics"].get.responses["200"].content).toHaveProperty(["text/plain; version=0.0.4; charset=utf-8"]);
    expect(doc.components.responses.RateLimited.headers).toHaveProperty("Retry-After");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.servers[0].url).toBe("http://localhost:3000");
  });

  it("every list operation is paginated with a bounded limit", () => {
    /** Reviewed gaps, each to be closed by its owner; an entry that gets a limit must leave this list. */
    const UNPAGED: Record<string, string> = {};
    // Lists that are not named list*: a scope's targets (pages of up to 10,000, like plans) and
    // discovered schemas.
    const LIST_LIKE: Record<string, number> = { getTargets: 10_000, getPlan: 10_000, discoverTenants: 5_000 };
    const unbounded: string[] = [];
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId: string; parameters?: Array<{ name: string; schema: { maximum?: number } }> }>>)) {
      for (const op of Object.values(item)) {
        const bound = LIST_LIKE[op.operationId] ?? (op.operationId.startsWith("list") ? 1000 : undefined);
        if (bound === undefined) continue;
        const limit = op.parameters?.find((q) => q.name === "limit");
        const paged = limit !== undefined && limit.schema.maximum !== undefined && limit.schema.maximum <= bound;
        if (UNPAGED[op.operationId]) expect(paged, `${op.operationId} has a bounded limit now: take it off UNPAGED`).toBe(false);
        else if (!paged) unbounded.push(`${op.operationId} ${p}`);
      }
    }
    expect(unbounded).toEqual([]);
  });
});
