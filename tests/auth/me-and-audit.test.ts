import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as me from "../../app/api/auth/me/route";
import * as databases from "../../app/api/databases/route";
import { onDatabase } from "../support/database";
import { clientCredentialsToken } from "../support/dev-realm";
import { type ControlPlaneEnv, setUpControlPlane } from "../support/test-env";
import { call } from "../support/api-call";
import { startRealmWithTokens, type Tokens } from "../support/realm-tokens";

let env: ControlPlaneEnv;
let tokens: Tokens;

beforeAll(async () => {
  env = await setUpControlPlane();
  tokens = await startRealmWithTokens();
});
afterAll(async () => {
  await tokens?.realm.stop();
  await env?.close();
});

async function auditRows() {
  const { rows } = await onDatabase(
    env.controlPlane.url,
    "select actor_id, actor_name, actor_type, action, resource_type, resource_id, outcome, error_code, request_id from console.audit_log order by id",
  );
  return rows;
}

describe("GET /api/auth/me", () => {
  it("tells a person who they are and what they may do", async () => {
    const res = await call(me.GET, "GET", "/api/auth/me", { token: tokens.viewer });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ username: "viewer", type: "user", authenticated_via: "bearer" });
    expect(res.json.permissions.sort()).toEqual(["databases:read", "migrations:read"]);
  });

  it("tells an automation client it is a client, with its service-account roles", async () => {
    const token = (await clientCredentialsToken(tokens.realm, "ci-readonly")).access_token;
    const res = await call(me.GET, "GET", "/api/auth/me", { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ type: "client", client_id: "ci-readonly", username: "service-account-ci-readonly" });
  });

  it("expands infrastructure:admin into every permission", async () => {
    const res = await call(me.GET, "GET", "/api/auth/me", { token: tokens.admin });
    expect(res.json.permissions).toHaveLength(6);
  });

  it("answers 401 with WWW-Authenticate and no detail without a credential", async () => {
    const res = await call(me.GET, "GET", "/api/auth/me");
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: "unauthorized", message: "authentication required", details: {} });
  });
});

describe("audit log", () => {
  it("records who made each mutating call, what, on which resource and how it ended", async () => {
    const ok = await call(databases.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: {
        name: "audited",
        host: env.server.host,
        port: env.server.port,
        database_name: env.controlPlane.name,
        username: env.server.username,
        password: env.server.password ?? "",
        connection_type: "analytics",
        skip_test: true,
      },
    });
    expect(ok.status, ok.text).toBe(201);
    const refused = await call(databases.POST, "POST", "/api/databases", { token: tokens.viewer, body: { name: "nope" } });
    expect(refused.status).toBe(403);
    const invalid = await call(databases.POST, "POST", "/api/databases", { token: tokens.operator, body: { name: "bad", port: 0 } });
    expect(invalid.status).toBe(422);
    await call(databases.GET, "GET", "/api/databases", { token: tokens.viewer });

    const rows = await auditRows();
    expect(rows).toHaveLength(3); // reads are not audited
    expect(rows[0]).toMatchObject({ actor_name: "operator", actor_type: "user", action: "databases.create", outcome: "success", resource_id: ok.json.id });
    expect(rows[1]).toMatchObject({ actor_name: "viewer", outcome: "error", error_code: "forbidden" });
    expect(rows[2]).toMatchObject({ actor_name: "operator", outcome: "error", error_code: "validation_error" });
    for (const row of rows) expect(row.request_id).toMatch(/^[\w-]{8,}$/);
  });
});
