import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../server/openapi/document";
import { endpointsOf } from "../../server/openapi/endpoints";
import { type ApiEnv, setUpApi } from "./api-env";
import { discoverRouteFiles, fillTemplate, importRoute } from "./routes";

/**
 * No endpoint returns an unbounded list. Walks every GET operation of the published OpenAPI
 * document and every array its 200 answer holds at the top: each is either the page of a paged
 * operation (a limit parameter with a maximum and a default, which the route enforces: 422 naming
 * the parameter above the maximum, the default page size without one), or has a reviewed entry
 * below saying what bounds it. A new list endpoint without paging, or a new array in an answer,
 * fails here until it is paged or reviewed.
 */

/** Paged operations: the array that is the page, and the parameter that sizes it. */
const PAGED: Record<string, { list: string; limit: string }> = {
  "GET /api/audit": { list: "entries", limit: "limit" },
  "GET /api/databases": { list: "items", limit: "limit" },
  "GET /api/maintenance-windows": { list: "windows", limit: "limit" },
  "GET /api/migrations": { list: "executions", limit: "limit" },
  "GET /api/migrations/dynamic/plan": { list: "targets", limit: "limit" },
  "GET /api/migrations/dynamic/targets": { list: "targets", limit: "limit" },
  "GET /api/migrations/status/{id}": { list: "targets", limit: "target_limit" },
  "GET /api/migrations/rollback/plan": { list: "targets", limit: "limit" },
  "GET /api/schedules": { list: "schedules", limit: "limit" },
  "GET /api/tenants": { list: "items", limit: "limit" },
  "GET /api/tenants/discover": { list: "schemas", limit: "limit" },
  "GET /api/webhooks": { list: "webhooks", limit: "limit" },
  "GET /api/webhooks/{id}/deliveries": { list: "deliveries", limit: "limit" },
};

/** Arrays that are not paged, each with what keeps it small (reviewed). */
const BOUNDED_BY: Record<string, string> = {
  "GET /api/auth/me permissions": "the permission table (a handful of names)",
  "GET /api/databases/{id}/health history": "the latest health checks of one database, a fixed number kept",
  "GET /api/health/detailed services": "the console's own background services",
  "GET /api/maintenance-windows/{id} days": "the days of the week (seven)",
  "GET /api/migrations/{id}/locks targets": "the execution's running targets: at most the workers' concurrency",
  "GET /api/migrations/catalog problems": "the files of MIGRATIONS_DIR",
  "GET /api/migrations/catalog broken_tiers": "the tiers (four)",
  "GET /api/migrations/catalog migrations": "the files of MIGRATIONS_DIR",
  "GET /api/migrations/dynamic/plan warnings": "lint findings of the catalog's files",
  "GET /api/migrations/dynamic/plan migrations": "the catalog's pending migrations",
  "GET /api/migrations/dynamic/plan included_providers": "the non-tenant databases (providers), not the tenants",
  "GET /api/migrations/dynamic/plan unreachable": "the registered databases, one entry each",
  "GET /api/migrations/dynamic/targets providers": "the non-tenant databases (providers), not the tenants",
  "GET /api/migrations/fleet-state groups": "tiers × regions",
  "GET /api/migrations/health workers": "the worker processes alive",
  "GET /api/migrations/rollback/plan left_out": "capped at the page size (totals.left_out counts them all)",
  "GET /api/migrations/rollback/plan refusals": "capped at the page size (totals.refusals counts them all)",
  "GET /api/schedules/{id} next_runs": "the next five firing times",
  "GET /api/tenants/{id}/drop-preview relations": "one schema's objects, as the operator must review them before dropping it",
  "GET /api/tenants/{id}/drop-preview sequences": "one schema's objects, as the operator must review them before dropping it",
  "GET /api/tenants/{id}/drop-preview types": "one schema's objects, as the operator must review them before dropping it",
  "GET /api/tenants/{id}/drop-preview functions": "one schema's objects, as the operator must review them before dropping it",
  "GET /api/tenants/{id}/drop-preview outside_dependents": "objects of other schemas depending on that one schema",
  "GET /api/tenants/{id}/drop-preview blockers": "the reasons a drop is refused",
  "GET /api/tenants/{id}/migrations applied": "one tenant's history rows",
  "GET /api/tenants/{id}/migrations pending": "the tenant tier's catalog",
  "GET /api/webhooks/{id} events": "the event kinds a webhook can subscribe to",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read as plain JSON
type Json = any;
const doc: Json = buildOpenApiDocument(endpointsOf(), { title: "bounded lists", version: "test" });
const deref = (schema: Json): Json => (schema?.$ref ? deref(doc.components.schemas[schema.$ref.split("/").pop()]) : schema);
const isArray = (schema: Json): boolean => {
  const s = deref(schema);
  return s?.type === "array" || (Array.isArray(s?.type) && s.type.includes("array")) || (s?.anyOf ?? s?.oneOf ?? []).some(isArray);
};

interface Operation {
  key: string;
  path: string;
  arrays: string[];
  parameters: Json[];
}

function getOperations(): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) => {
    const op = item.get;
    if (!op) return [];
    const schema = deref(op.responses?.["200"]?.content?.["application/json"]?.schema);
    const arrays = isArray(schema) ? ["(the answer itself)"] : Object.entries<Json>(schema?.properties ?? {}).filter(([, v]) => isArray(v)).map(([k]) => k);
    return [{ key: `GET ${path}`, path, arrays, parameters: op.parameters ?? [] }];
  });
}

let env: ApiEnv;

beforeAll(async () => {
  env = await setUpApi();
});

afterAll(async () => {
  await env?.close();
});

async function get(path: string, query: Record<string, string>) {
  const route = discoverRouteFiles().find((r) => r.template === path)!;
  const handler = (await importRoute(route)).GET!;
  const params = Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, name === "name" ? "control_plane" : randomUUID()]));
  const url = new URL(`http://localhost:3000${fillTemplate(path, params)}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const token = await env.tokenWith("infrastructure:admin");
  const response = await handler(new Request(url, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve(params) });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as Json) : null };
}

describe("every list an endpoint returns is bounded", () => {
  const operations = getOperations();

  it("each array of each GET answer is a paged list or has a reviewed bound", () => {
    expect(operations.length).toBeGreaterThan(20);
    const unreviewed: string[] = [];
    const listed = new Set<string>();
    for (const op of operations) {
      for (const array of op.arrays) {
        const entry = `${op.key} ${array}`;
        listed.add(entry);
        if (PAGED[op.key]?.list === array || BOUNDED_BY[entry]) continue;
        unreviewed.push(entry);
      }
    }
    expect(unreviewed, "arrays neither paged nor reviewed in BOUNDED_BY").toEqual([]);
    expect(Object.keys(BOUNDED_BY).filter((k) => !listed.has(k)), "BOUNDED_BY entries for arrays that no longer exist").toEqual([]);
    const pagedLists = Object.entries(PAGED).map(([key, p]) => `${key} ${p.list}`);
    expect(pagedLists.filter((k) => !listed.has(k)), "PAGED entries whose list no longer exists").toEqual([]);
  });

  const paged = operations.filter((op) => PAGED[op.key]);

  it("the paged operations are the ones the document says take a page size", () => {
    expect(paged.map((op) => op.key).sort()).toEqual(Object.keys(PAGED).sort());
  });

  it.each(paged.map((op) => [op.key, op] as const))("%s: a maximum and a default page size, enforced", async (key, op) => {
    const name = PAGED[key]!.limit;
    const parameter = op.parameters.find((p: Json) => p.in === "query" && p.name === name);
    expect(parameter, `${key} documents no ${name} parameter`).toBeDefined();
    const { maximum, default: fallback } = deref(parameter.schema);
    expect(typeof maximum, `${key}: ${name} has no maximum`).toBe("number");
    expect(typeof fallback, `${key}: ${name} has no default`).toBe("number");
    expect(fallback).toBeLessThanOrEqual(maximum);

    const over = await get(op.path, { [name]: String(maximum + 1) });
    expect(over.status, `${key} with ${name}=${maximum + 1}: ${over.text}`).toBe(422);
    expect(over.text).toContain(name);
  });

  // Operations that answer on an empty control plane and say which page size they applied.
  it.each([
    ["GET /api/databases", "limit"],
    ["GET /api/migrations", "limit"],
    ["GET /api/schedules", "limit"],
    ["GET /api/tenants", "limit"],
    ["GET /api/webhooks", "limit"],
  ])("%s applies its default page size when none is asked for", async (key, name) => {
    const op = paged.find((o) => o.key === key)!;
    const fallback = deref(op.parameters.find((p: Json) => p.name === name).schema).default;
    const res = await get(op.path, {});
    expect(res.status, res.text).toBe(200);
    const applied = res.json.limit ?? res.json.page?.limit;
    expect(applied, `${key} does not say which page size it applied`).toBe(fallback);
  });
});
