import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as audit from "../../app/api/audit/route";
import * as databases from "../../app/api/databases/route";
import { type ApiEnv, connectionBody, setUpApi } from "./api-env";
import { callEndpoint } from "./contract";

/** GET /api/audit: the log of mutating calls, filtered and paged, for infrastructure:admin only. */

let env: ApiEnv;
let admin: string;

beforeAll(async () => {
  env = await setUpApi();
  admin = await env.token(["infrastructure:admin"], { preferred_username: "auditor" });
  const operator = await env.token(["databases:manage"], { preferred_username: "op-one" });
  const body = (name: string) => connectionBody(env, name, env.controlPlane.name);
  expect((await callEndpoint(databases.POST, { token: operator, body: body("audited-1") })).status).toBe(201);
  expect((await callEndpoint(databases.POST, { token: operator, body: body("audited-2") })).status).toBe(201);
  expect((await callEndpoint(databases.POST, { token: operator, body: body("audited-1") })).status).toBe(409);
});

afterAll(async () => {
  await env?.close();
});

describe("/api/audit", () => {
  it("lists mutating calls newest first, with actor, outcome and what changed (never a password)", async () => {
    const res = await callEndpoint(audit.GET, { token: admin, query: { actor: "op-one" } });
    expect(res.status).toBe(200);
    expect(res.json.entries.map((e: { outcome: string }) => e.outcome)).toEqual(["error", "success", "success"]);
    expect(res.json.entries[0]).toMatchObject({ action: "databases.create", actor_name: "op-one", error_code: "conflict" });
    expect(res.json.entries[1].details).toMatchObject({ name: "audited-2" });
    expect(res.text).not.toContain("password\":\"");
  });

  it("filters by outcome and pages with next_before_id", async () => {
    const failed = await callEndpoint(audit.GET, { token: admin, query: { outcome: "error" } });
    expect(failed.json.entries).toHaveLength(1);
    const first = await callEndpoint(audit.GET, { token: admin, query: { limit: "2" } });
    expect(first.json.entries).toHaveLength(2);
    expect(first.json.next_before_id).toBe(first.json.entries[1].id);
    const second = await callEndpoint(audit.GET, { token: admin, query: { limit: "2", before_id: String(first.json.next_before_id) } });
    expect(second.json.entries).toHaveLength(1);
    expect(second.json.next_before_id).toBeNull();
  });

  it("refuses unknown filters and limits past 500 (422 naming the field)", async () => {
    const unknown = await callEndpoint(audit.GET, { token: admin, query: { user: "op-one" } });
    expect(unknown.status).toBe(422);
    const big = await callEndpoint(audit.GET, { token: admin, query: { limit: "501" } });
    expect(big.status).toBe(422);
    expect(big.json.details.fields[0].field).toBe("limit");
  });

  it("is for infrastructure:admin only", async () => {
    expect((await callEndpoint(audit.GET, { token: await env.tokenWithout("infrastructure:admin") })).status).toBe(403);
  });
});
