import { createPublicKey, randomBytes } from "node:crypto";
import { type JWTPayload, SignJWT, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as audit from "../../app/api/audit/route";
import * as me from "../../app/api/auth/me/route";
import * as databases from "../../app/api/databases/route";
import * as execute from "../../app/api/migrations/execute/route";
import type { RouteHandler } from "../../server/http/route";
import { type ApiEnv, setUpApi } from "../api/api-env";
import {
  CONSOLE_CLIENT_ID,
  OTHER_APPLICATION,
  type TestRealm,
  claimsLike,
  clientCredentialsToken,
  foreignKeyToken,
  hmacToken,
  otherRealmExport,
  realmPublicJwk,
  realmWithOtherApplication,
  startTestRealm,
  tamperedToken,
  unsignedToken,
  userTokens,
} from "../support/dev-realm";

/**
 * The forged-token matrix through the real route wrapper: every forgery is a 401 with the same
 * generic answer on routes of every kind of access (signed in, read, manage, admin), the answer
 * never quotes the token, and the genuine token each forgery is made from is accepted (so a 401
 * proves the check, not a broken set-up). The verifier's own reasons are covered in
 * tests/auth/verify-token.test.ts; this suite keeps the routes from ever answering otherwise.
 */

let env: ApiEnv;
let realm: TestRealm;
let otherRealm: TestRealm;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  // The console's realm, with another application of the realm besides the console.
  env = await setUpApi({}, { realm: realmWithOtherApplication() });
  realm = env.realm;
  otherRealm = await startTestRealm({ realm: otherRealmExport("other") });
});

afterAll(async () => {
  await otherRealm?.stop();
  await env?.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const withHeader = async (header: Record<string, unknown>, claims: JWTPayload) => {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", ...header }).sign(privateKey);
};

/** Each forgery, built against the running realm. */
const FORGERIES: Array<[string, () => Promise<string>]> = [
  ["expired beyond the clock skew", () => realm.sign(claimsLike(realm, { iat: now() - 600, exp: now() - 60 }))],
  ["not valid yet (nbf in the future)", () => realm.sign(claimsLike(realm, { nbf: now() + 300 }))],
  ["no exp", () => realm.sign(claimsLike(realm, { exp: undefined }))],
  ["no sub", () => realm.sign(claimsLike(realm, { sub: undefined }))],
  ["wrong issuer, signed by the realm's key", () => realm.sign(claimsLike(realm, { iss: "https://sso.evil.example/realms/infrastructure" }))],
  ["issuer with a trailing slash", () => realm.sign(claimsLike(realm, { iss: `${realm.issuer}/` }))],
  ["no issuer", () => realm.sign(claimsLike(realm, { iss: undefined }))],
  ["wrong audience and authorized party", () => realm.sign(claimsLike(realm, { aud: "billing-api", azp: "billing-ui" }))],
  ["azp of another client, aud only `account`", () => realm.sign(claimsLike(realm, { aud: "account", azp: "reporting-app" }))],
  [
    "a genuine token of another application of the realm",
    async () => (await clientCredentialsToken(realm, OTHER_APPLICATION.clientId, OTHER_APPLICATION.secret)).access_token,
  ],
  ["no audience at all", () => realm.sign(claimsLike(realm, { aud: undefined, azp: undefined }))],
  ["alg none", async () => unsignedToken(claimsLike(realm), (await realmPublicJwk(realm)).kid)],
  ["alg none without a kid", async () => unsignedToken(claimsLike(realm))],
  [
    "HS256 signed with the realm's public key (PEM)",
    async () => {
      const jwk = await realmPublicJwk(realm);
      return hmacToken(claimsLike(realm), createPublicKey({ key: jwk as never, format: "jwk" }).export({ type: "spki", format: "pem" }), jwk.kid);
    },
  ],
  ["HS256 signed with the realm's public key (JWK)", async () => hmacToken(claimsLike(realm), JSON.stringify(await realmPublicJwk(realm)))],
  ["a foreign key claiming the realm's kid", async () => foreignKeyToken(claimsLike(realm), (await realmPublicJwk(realm)).kid)],
  ["a foreign key with an unknown kid", () => foreignKeyToken(claimsLike(realm), "rotated-away")],
  ["a foreign key announcing itself in jku/jwk headers", async () => withHeader({ kid: "attacker", jku: "https://evil.example/jwks", jwk: { kty: "RSA" } }, claimsLike(realm))],
  ["a kid carrying a path and SQL", () => withHeader({ kid: "../../../../dev/null' or '1'='1" }, claimsLike(realm))],
  ["the realm's own signature over a crit header the verifier does not understand", async () => realm.signWithHeader({ crit: ["exp-policy"], "exp-policy": 1 }, claimsLike(realm))],
  ["the realm's own signature over alg RS256 but typ of an ID token", async () => realm.signWithHeader({}, claimsLike(realm, { typ: "ID" }))],
  [
    "claims changed after signing (roles raised)",
    async () => tamperedToken((await userTokens(realm, "viewer")).access_token, { realm_access: { roles: ["infrastructure:admin"] } }),
  ],
  [
    "claims changed after signing (expiry pushed out)",
    async () => tamperedToken(await realm.sign(claimsLike(realm, { exp: now() - 120, iat: now() - 600 })), { exp: now() + 3600 }),
  ],
  ["the signature cut off", async () => `${(await userTokens(realm, "admin")).access_token.split(".").slice(0, 2).join(".")}.`],
  ["an ID token", async () => (await userTokens(realm, "admin")).id_token!],
  ["a refresh token", async () => (await userTokens(realm, "admin")).refresh_token!],
  ["a token of another realm", async () => (await clientCredentialsToken(otherRealm, "ci-admin")).access_token],
  ["another realm's key claiming this realm's issuer", () => otherRealm.sign(claimsLike(realm))],
  ["five segments (a JWE)", async () => `${b64({ alg: "RSA-OAEP", enc: "A256GCM" })}.a.b.c.d`],
  ["not base64", async () => "!!!.@@@.###"],
  ["an empty token", async () => ""],
  ["16 kB of padding", async () => `${"a".repeat(16_500)}.b.c`],
];

/** Routes of every kind of access, with a request each would accept from the right caller. */
const ROUTES: Array<[string, RouteHandler, string, unknown?]> = [
  ["GET /api/auth/me (signed in)", me.GET, "/api/auth/me"],
  ["GET /api/databases (databases:read)", databases.GET, "/api/databases"],
  ["POST /api/databases (databases:manage)", databases.POST, "/api/databases", { name: "forged" }],
  ["POST /api/migrations/execute (migrations:execute)", execute.POST, "/api/migrations/execute", { scope: "all", dry_run: true }],
  ["GET /api/audit (infrastructure:admin)", audit.GET, "/api/audit"],
];

async function send(handler: RouteHandler, path: string, authorization: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (authorization !== null) headers.authorization = authorization;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await handler(
    new Request(`http://localhost:3000${path}`, { method: body === undefined ? "GET" : "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, text: await response.text(), challenge: response.headers.get("www-authenticate") };
}

describe("forged tokens", () => {
  it("the genuine tokens they are made from are accepted (the matrix tests the check, not the set-up)", async () => {
    expect((await send(me.GET, "/api/auth/me", `Bearer ${await realm.sign(claimsLike(realm))}`)).status).toBe(200);
    expect((await send(me.GET, "/api/auth/me", `Bearer ${realm.signWithHeader({}, claimsLike(realm))}`)).status).toBe(200);
    expect((await send(me.GET, "/api/auth/me", `Bearer ${(await userTokens(realm, "viewer")).access_token}`)).status).toBe(200);
    expect((await send(me.GET, "/api/auth/me", `Bearer ${(await clientCredentialsToken(realm, "ci-readonly")).access_token}`)).status).toBe(200);
    const claims = claimsLike(realm, { aud: ["account", CONSOLE_CLIENT_ID], azp: "reporting-app" });
    expect((await send(me.GET, "/api/auth/me", `Bearer ${await realm.sign(claims)}`)).status).toBe(200);
  });

  it.each(FORGERIES)("%s: 401 on every kind of route, the same answer, nothing of the token in it", async (_what, forge) => {
    const token = await forge();
    for (const [route, handler, path, body] of ROUTES) {
      const res = await send(handler, path, `Bearer ${token}`, body);
      expect(res.status, `${route}: ${res.text}`).toBe(401);
      expect(JSON.parse(res.text)).toEqual({ error: "unauthorized", message: "invalid or expired credentials", details: {} });
      expect(res.challenge).toMatch(/^Bearer /);
      for (const part of token.split(".").filter((p) => p.length > 8)) expect(res.text).not.toContain(part.slice(0, 64));
    }
  });

  it.each<[string, string]>([
    ["Basic credentials", `Basic ${Buffer.from("admin:admin").toString("base64")}`],
    ["Bearer without a token", "Bearer"],
    ["two tokens", `Bearer a.b.c d.e.f`],
    ["a token with a NUL byte", `Bearer a.b\u0000.c`.replace("\u0000", "%00")],
    ["random bytes", `Bearer ${randomBytes(48).toString("base64url")}`],
  ])("%s in Authorization: 401", async (_what, authorization) => {
    for (const [route, handler, path, body] of ROUTES) {
      expect((await send(handler, path, authorization, body)).status, route).toBe(401);
    }
  });
});
