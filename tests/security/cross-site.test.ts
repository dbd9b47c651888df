import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as cancel from "../../app/api/migrations/[id]/cancel/route";
import * as executions from "../../app/api/migrations/route";
import { CONSOLE, sessionCookieHeader, signIn } from "../support/browser-session";
import { type TestRealm, startTestRealm } from "../support/dev-realm";
import { type ControlPlaneEnv, setEnv, setUpControlPlane } from "../support/test-env";

/**
 * The origin matrix through the real route wrapper, with a real session cookie from the sign-in
 * flow: a cookie-authenticated write runs only when its Origin is the console's configured one.
 * The write used is cancelling an execution that does not exist, so "allowed" reads 404 and
 * "refused" 403; a refusal must never be a 500, whatever the Origin header holds.
 */

let env: ControlPlaneEnv;
let realm: TestRealm;
let cookie: string;

beforeAll(async () => {
  env = await setUpControlPlane();
  realm = await startTestRealm();
  setEnv({ DEV_REALM_PORT: String(realm.port), KEYCLOAK_URL: "", KEYCLOAK_CLIENT_SECRET: "", AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_URL: CONSOLE });
  cookie = sessionCookieHeader(await signIn("operator", realm));
  expect(cookie).not.toBe("");
});

afterAll(async () => {
  setEnv({ AUTH_SECRET: "", AUTH_URL: "", TRUST_PROXY: "" });
  await realm?.stop();
  await env?.close();
});

async function cancelWith(headers: Record<string, string>) {
  const id = randomUUID();
  const response = await cancel.POST(new Request(`${CONSOLE}/api/migrations/${id}/cancel`, { method: "POST", headers: { cookie, host: "localhost:3000", ...headers } }), {
    params: Promise.resolve({ id }),
  });
  return { status: response.status, json: (await response.json()) as { error: string; message: string } };
}

describe("cookie-authenticated writes", () => {
  it("from the console's own origin go through", async () => {
    expect((await cancelWith({ origin: CONSOLE })).status).toBe(404);
    expect((await cancelWith({})).status).toBe(404);
  });

  it.each<[string, Record<string, string>]>([
    ["another site", { origin: "http://evil.example" }],
    ["another site naming itself in X-Forwarded-Host (TRUST_PROXY is off)", { origin: "http://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "http" }],
    ["Origin: null", { origin: "null" }],
    ["a malformed Origin", { origin: "http://[::1" }],
    ["an Origin that is not a URL", { origin: "::::" }],
    ["no Origin but Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
  ])("from %s are refused with 403 and a reason", async (_what, headers) => {
    const res = await cancelWith(headers);
    expect(res.status, res.json.message).toBe(403);
    expect(res.json.error).toBe("forbidden");
    expect(res.json.message).toMatch(/console's (own pages|origin)/);
  });

  it("from the proxy's public host when TRUST_PROXY=true, and only then", async () => {
    const proxied = { origin: "https://console.example.com", "x-forwarded-host": "console.example.com", "x-forwarded-proto": "https" };
    expect((await cancelWith(proxied)).status).toBe(403);
    setEnv({ TRUST_PROXY: "true" });
    try {
      expect((await cancelWith(proxied)).status).toBe(404);
      expect((await cancelWith({ ...proxied, origin: "https://evil.example" })).status).toBe(403);
    } finally {
      setEnv({ TRUST_PROXY: "" });
    }
  });

  it("reads are not writes: a cross-site GET with the cookie is answered (CORS keeps the answer from the other site)", async () => {
    const response = await executions.GET(new Request(`${CONSOLE}/api/migrations`, { headers: { cookie, origin: "http://evil.example" } }));
    expect(response.status).toBe(200);
  });
});
