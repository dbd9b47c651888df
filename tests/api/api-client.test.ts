import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { ApiError, createApiClient, type ApiClient } from "../../api-client/client";
import { operations } from "../../api-client/operations";
import type { ConnectionList } from "../../server/databases/schemas";
import { CLIENT_OPERATIONS_FILE, renderClientOperations } from "../../server/openapi/client-operations";
import { endpointsOf } from "../../server/openapi/endpoints";
import { publishedDocument } from "../../server/openapi/published-document";
import { type ApiEnv, connectionBody, setUpApi } from "./api-env";
import { createRouter, ROOT } from "./routes";

/**
 * The typed client is generated from the endpoint contracts and checked against the published
 * OpenAPI document; then it talks to the real route handlers (no server in between).
 */

let env: ApiEnv;
let api: ApiClient;

beforeAll(async () => {
  env = await setUpApi();
  const token = await env.tokenWith("infrastructure:admin");
  api = createApiClient({ baseUrl: "http://localhost:3000", token: () => token, fetch: await createRouter() });
});

afterAll(async () => {
  await env?.close();
});

describe("the typed client", () => {
  it("its operation table is what the generator makes of the current contracts", () => {
    const onDisk = readFileSync(path.join(ROOT, CLIENT_OPERATIONS_FILE), "utf8");
    expect(onDisk, "run: npx tsx server/openapi/write-client-operations-cli.ts").toBe(renderClientOperations(endpointsOf()));
  });

  it("has exactly the operations of /api/openapi.json, with the same method and path", () => {
    const fromDocument = Object.entries(publishedDocument().paths).flatMap(([p, item]) =>
      Object.entries(item as Record<string, { operationId: string }>).map(([method, op]) => `${op.operationId} ${method.toUpperCase()} ${p}`),
    );
    const fromClient = Object.entries(operations).map(([id, op]) => `${id} ${op.method} ${op.path}`);
    expect(fromClient.sort()).toEqual(fromDocument.sort());
  });

  it("calls the real handlers: typed results, query and path parameters, errors as ApiError", async () => {
    const health = await api.getHealth();
    expect(health.status).toBe("healthy");

    const list = await api.listDatabases({ query: { limit: 5, connection_type: "tenant" } });
    expectTypeOf(list).toEqualTypeOf<ConnectionList>();
    expect(list).toMatchObject({ items: [], total: 0, limit: 5, offset: 0 });

    const missing = await api.getDatabase({ params: { id: "00000000-0000-4000-8000-00000000dead" } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, body: { error: "not_found" } });

    const invalid = await api.listDatabases({ query: { limit: 5000 } }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 422, body: { details: { fields: [expect.objectContaining({ field: "limit" })] } } });

    const metrics = await api.getPrometheusMetrics();
    expectTypeOf(metrics).toEqualTypeOf<string>();
    expect(metrics).toContain("# TYPE http_request_duration_seconds histogram");

    const raw = await api.raw("getServiceHealth", { params: { name: "nope" } });
    expect(raw.status).toBe(404);
  });

  it("sends bodies as JSON and returns created resources", async () => {
    const created = await api.createDatabase({ body: connectionBody(env, "client-made", env.controlPlane.name) });
    expect(created).toMatchObject({ name: "client-made", connection_type: "analytics", created_by: expect.any(String) });
    expect(await api.getDatabase({ params: { id: created.id } })).toMatchObject({ id: created.id });
    expect(await api.deleteDatabase({ params: { id: created.id } })).toBeNull();
  });

  it("types refuse calls the contract refuses", () => {
    // Compile-time checks: tsc fails the build if any of these lines stops being an error.
    const check = () => {
      // @ts-expect-error a path parameter is required
      void api.getDatabase();
      // @ts-expect-error connection_type must be a tier
      void api.listDatabases({ query: { connection_type: "mainframe" } });
      // @ts-expect-error the body is required
      void api.createDatabase({});
    };
    expect(check).toBeTypeOf("function");
  });
});
