import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as databases from "../../app/api/databases/route";
import * as tenants from "../../app/api/tenants/route";
import { type ApiEnv, setUpApi } from "./api-env";
import { callEndpoint } from "./contract";

/**
 * What the route wrapper refuses before any handler runs, each with its documented status and the
 * {error, message, details} body: oversized bodies, bodies that are not JSON, unknown fields of
 * strict schemas, list limits past their maximum.
 */

let env: ApiEnv;
let token: string;

beforeAll(async () => {
  env = await setUpApi();
  token = await env.tokenWith("databases:manage");
});

afterAll(async () => {
  await env?.close();
});

describe("request limits", () => {
  it("a body over 1 MiB is 413, whatever Content-Length claims", async () => {
    const big = JSON.stringify({ name: "x", metadata: { blob: "a".repeat(1024 * 1024) } });
    const res = await callEndpoint(databases.POST, { token, rawBody: big });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: "payload_too_large", details: { limit: 1048576 } });
  });

  it("malformed JSON is 400, and so is a body that is not application/json", async () => {
    const broken = await callEndpoint(databases.POST, { token, rawBody: '{"name": "x",' });
    expect(broken.status).toBe(400);
    expect(broken.json.message).toMatch(/not valid JSON/);
    const form = await callEndpoint(databases.POST, { token, rawBody: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(400);
  });

  it("unknown fields of a strict body are refused (422 naming them), not silently dropped", async () => {
    const res = await callEndpoint(tenants.POST, {
      token,
      body: { slug: "acme", name: "Acme", region: "eu-west-1", connection_id: "00000000-0000-4000-8000-000000000001", is_admin: true },
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json.details.fields)).toContain("is_admin");
  });

  it("list limits are bounded and unknown query parameters refused", async () => {
    const read = await env.tokenWith("databases:read");
    expect((await callEndpoint(databases.GET, { token: read, query: { limit: "200" } })).status).toBe(200);
    const over = await callEndpoint(databases.GET, { token: read, query: { limit: "201" } });
    expect(over.status).toBe(422);
    expect(over.json.details.fields[0]).toMatchObject({ field: "limit" });
    expect((await callEndpoint(databases.GET, { token: read, query: { page: "2" } })).status).toBe(422);
  });
});
