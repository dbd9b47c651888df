import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as databases from "../../app/api/databases/route";
import * as health from "../../app/api/health/route";
import * as ready from "../../app/api/health/ready/route";
import * as openapi from "../../app/api/openapi.json/route";
import { pruneRateLimitCounters } from "../../server/http/rate-limit";
import { queryOn } from "../support/database";
import { CONSOLE, sessionCookieHeader, signIn } from "../support/browser-session";
import { userTokens } from "../support/dev-realm";
import { setEnv } from "../support/test-env";
import { type ApiEnv, setUpApi } from "./api-env";
import { callEndpoint } from "./contract";
import { ROOT } from "./routes";

/**
 * Acceptance 3: with RATE_LIMIT_RPM=5 the sixth call of a caller within a minute is a 429 with
 * Retry-After, whether the calls reach one console instance or several sharing the database. The
 * console's own pages (session cookie) count in a budget of their own, RATE_LIMIT_SESSION_RPM=8.
 *
 * "Instance" in the multi-instance test: separate Node processes, each loading the real route
 * handler with its own module instances, settings and control-plane pool (a different PostgreSQL
 * session, shown by its backend pid). They share nothing but the database, like console replicas.
 */

const run = promisify(execFile);
let env: ApiEnv;

beforeAll(async () => {
  env = await setUpApi({ RATE_LIMIT_ENABLED: "true", RATE_LIMIT_RPM: "5", RATE_LIMIT_SESSION_RPM: "8" });
  setEnv({ KEYCLOAK_CLIENT_SECRET: "", AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_URL: CONSOLE });
});

afterAll(async () => {
  setEnv({ AUTH_SECRET: "", AUTH_URL: "", RATE_LIMIT_SESSION_RPM: "" });
  await env?.close();
});

/**
 * Windows are whole minutes of the database clock. A test that needs `seconds` inside one window
 * waits for the next window when the current one is too close to its end.
 */
async function freshWindow(seconds: number) {
  const { rows } = await queryOn(env.controlPlane.name, "select 60 - extract(epoch from now())::numeric % 60 as left");
  const left = Number(rows[0]?.left);
  if (left < seconds) await new Promise((r) => setTimeout(r, (left + 0.3) * 1000));
}

async function instance(token: string, count: number) {
  const { stdout } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join("tests", "api", "rate-limit-instance.ts"), token, String(count)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "silent" },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as {
    pid: number;
    backendPid: number;
    results: Array<{ status: number; retryAfter: string | null; remaining: string | null }>;
  };
}

describe("rate limits (RATE_LIMIT_RPM=5)", () => {
  it("one instance: five calls pass with RateLimit headers counting down, the sixth is 429 with Retry-After", async () => {
    await freshWindow(15);
    const token = await env.tokenWith("databases:read");
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 5; i++) {
      const res = await callEndpoint(databases.GET, { token });
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("5");
      remaining.push(res.headers.get("ratelimit-remaining"));
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
    const sixth = await callEndpoint(databases.GET, { token });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error).toBe("rate_limited");
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(sixth.json.details).toEqual({ limit: 5, retry_after_seconds: retryAfter });

    // Per caller: another principal has its own budget.
    expect((await callEndpoint(databases.GET, { token: await env.tokenWith("databases:read") })).status).toBe(200);
  });

  it("a signed-in browser has a budget of its own: the same user's bearer token is limited at 5, the console's pages go on to 8", async () => {
    await freshWindow(20);
    const cookie = sessionCookieHeader(await signIn("operator", env.realm));
    const bearer = (await userTokens(env.realm, "operator")).access_token;
    for (let i = 0; i < 5; i++) expect((await callEndpoint(databases.GET, { token: bearer })).status).toBe(200);
    const overApi = await callEndpoint(databases.GET, { token: bearer });
    expect(overApi.status).toBe(429);
    expect(Number(overApi.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    // The API budget of this user is spent; the pages of the same user are not touched by it.
    const limits: Array<string | null> = [];
    for (let i = 0; i < 8; i++) {
      const res = await callEndpoint(databases.GET, { headers: { cookie } });
      expect(res.status).toBe(200);
      limits.push(res.headers.get("ratelimit-remaining"));
    }
    expect(limits).toEqual(["7", "6", "5", "4", "3", "2", "1", "0"]);
    // The session budget is a limit too, with its own words.
    const overPages = await callEndpoint(databases.GET, { headers: { cookie } });
    expect(overPages.status).toBe(429);
    expect(overPages.json.message).toContain("for the console's pages");
    expect(overPages.headers.get("retry-after")).toBeTruthy();
    // And a bearer caller over its limit is still refused.
    expect((await callEndpoint(databases.GET, { token: bearer })).status).toBe(429);
  });

  it("two instances sharing the database: 3 calls on one and 3 on the other, the sixth is 429", async () => {
    await freshWindow(40);
    const token = await env.tokenWith("databases:read");
    const a = await instance(token, 3);
    const b = await instance(token, 3);
    expect(a.pid).not.toBe(b.pid);
    expect(a.backendPid).not.toBe(b.backendPid);
    expect(a.results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(b.results.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(b.results.map((r) => r.remaining)).toEqual(["1", "0", "0"]);
    expect(Number(b.results[2]!.retryAfter)).toBeGreaterThanOrEqual(1);
    // And a third instance (this test process) sees the same count.
    expect((await callEndpoint(databases.GET, { token })).status).toBe(429);
  });

  it("anonymous callers are counted per address, and a forged X-Forwarded-For prefix gains nothing", async () => {
    await freshWindow(15);
    const from = (chain: string) => callEndpoint(openapi.GET, { headers: { "x-forwarded-for": chain } });
    for (let i = 0; i < 5; i++) expect((await from(`198.51.100.${i}, 203.0.113.7`)).status).toBe(200);
    expect((await from("203.0.113.7")).status).toBe(429);
    expect((await from("203.0.113.8")).status).toBe(200);
  });

  it("guessing tokens is limited too: invalid credentials count against the address", async () => {
    await freshWindow(15);
    const guess = () => callEndpoint(databases.GET, { token: "guessed-token", headers: { "x-forwarded-for": "192.0.2.44" } });
    for (let i = 0; i < 5; i++) expect((await guess()).status).toBe(401);
    const sixth = await guess();
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("retry-after")).toBeTruthy();
  });

  it("health endpoints are exempt", async () => {
    for (let i = 0; i < 8; i++) {
      const res = await callEndpoint(health.GET, { headers: { "x-forwarded-for": "192.0.2.99" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBeNull();
      expect((await callEndpoint(ready.GET, { headers: { "x-forwarded-for": "192.0.2.99" } })).status).toBe(200);
    }
  });

  it("old counters are pruned, current ones kept", async () => {
    await queryOn(env.controlPlane.name, "insert into console.rate_limit_counters values ('ip:stale', now() - interval '2 hours', 3)");
    const before = await queryOn(env.controlPlane.name, "select count(*)::int as n from console.rate_limit_counters");
    expect(await pruneRateLimitCounters()).toBe(1);
    const after = await queryOn(env.controlPlane.name, "select count(*)::int as n from console.rate_limit_counters");
    expect(after.rows[0]?.n).toBe(before.rows[0]!.n - 1);
  });

  it("answers 503, not a silent pass, when the counter cannot be read", async () => {
    await queryOn(env.controlPlane.name, "alter table console.rate_limit_counters rename to rate_limit_counters_away");
    try {
      const res = await callEndpoint(databases.GET, { token: await env.tokenWith("databases:read") });
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("service_unavailable");
    } finally {
      await queryOn(env.controlPlane.name, "alter table console.rate_limit_counters_away rename to rate_limit_counters");
    }
  });
});
