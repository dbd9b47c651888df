import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetSettingsCache } from "../../server/config/settings";
import { AppError } from "../../server/errors/app-error";
import { AuthenticationError, type TokenVerifier, createTokenVerifier, verifyAccessToken } from "../../server/auth/verify-token";
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

let realm: TestRealm;
let otherRealm: TestRealm;
let verify: TokenVerifier;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  realm = await startTestRealm({ realm: realmWithOtherApplication() });
  otherRealm = await startTestRealm({ realm: otherRealmExport("other") });
  verify = createTokenVerifier({ issuer: realm.issuer, audiences: [CONSOLE_CLIENT_ID], clientId: CONSOLE_CLIENT_ID });
});

afterAll(async () => {
  await realm?.stop();
  await otherRealm?.stop();
});

/** Every refusal looks the same from outside: 401, one generic message, nothing of the token. */
async function expectRefused(token: string, reason: AuthenticationError["reason"]) {
  const error = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  const refused = error as AuthenticationError;
  expect(refused.reason).toBe(reason);
  expect(refused.code).toBe("unauthorized");
  expect(refused.message).toBe("invalid or expired access token");
  expect(refused.details).toEqual({});
  for (const part of token.split(".").filter((p) => p.length > 8)) expect(refused.message).not.toContain(part);
}

describe("valid tokens map to the right permissions", () => {
  it.each([
    ["viewer", ["migrations:read", "databases:read"]],
    ["operator", ["migrations:read", "migrations:execute", "migrations:manage", "databases:read", "databases:manage"]],
    ["approver", ["migrations:read", "migrations:manage", "databases:read"]],
    ["admin", ["infrastructure:admin"]],
  ])("user %s", async (username, permissions) => {
    const { access_token } = await userTokens(realm, username);
    const principal = await verify(access_token);
    expect(principal).toMatchObject({ username, type: "user", via: "bearer", clientId: CONSOLE_CLIENT_ID });
    expect(principal.email).toBe(`${username}@infrastructure.localhost`);
    expect([...principal.permissions].sort()).toEqual([...permissions].sort());
  });

  it.each([
    ["ci-readonly", ["migrations:read", "databases:read"]],
    ["ci-operator", ["migrations:read", "migrations:execute", "databases:read"]],
    ["ci-admin", ["infrastructure:admin"]],
  ])("client %s", async (clientId, permissions) => {
    const { access_token } = await clientCredentialsToken(realm, clientId);
    const principal = await verify(access_token);
    expect(principal).toMatchObject({ username: `service-account-${clientId}`, type: "client", clientId, via: "bearer" });
    expect([...principal.permissions].sort()).toEqual([...permissions].sort());
  });

  it("takes client roles of the console's client into account", async () => {
    const token = await realm.sign(
      claimsLike(realm, { realm_access: { roles: [] }, resource_access: { [CONSOLE_CLIENT_ID]: { roles: ["databases:read"] } } }),
    );
    expect((await verify(token)).permissions).toEqual(["databases:read"]);
  });

  it("accepts a token whose azp is the console even when aud names something else", async () => {
    const token = await realm.sign(claimsLike(realm, { aud: "some-api", azp: CONSOLE_CLIENT_ID }));
    await expect(verify(token)).resolves.toMatchObject({ clientId: CONSOLE_CLIENT_ID });
  });
});

describe("refused tokens", () => {
  it("bad signature: a genuine token with changed claims", async () => {
    const { access_token } = await userTokens(realm, "viewer");
    await expectRefused(tamperedToken(access_token, { realm_access: { roles: ["infrastructure:admin"] } }), "signature");
  });

  it("bad signature: another key claiming the realm's key id", async () => {
    const { kid } = await realmPublicJwk(realm);
    await expectRefused(await foreignKeyToken(claimsLike(realm), kid), "signature");
  });

  it("alg: none", async () => {
    const { kid } = await realmPublicJwk(realm);
    await expectRefused(unsignedToken(claimsLike(realm), kid), "algorithm");
    await expectRefused(unsignedToken(claimsLike(realm)), "algorithm");
  });

  it("HS256 signed with the realm's public key (PEM, JWK and raw modulus)", async () => {
    const jwk = await realmPublicJwk(realm);
    const pem = createPublicKey({ key: jwk as never, format: "jwk" }).export({ type: "spki", format: "pem" });
    for (const secret of [pem, JSON.stringify(jwk), Buffer.from(jwk.n!, "base64url")]) {
      await expectRefused(hmacToken(claimsLike(realm), secret, jwk.kid), "algorithm");
    }
  });

  it("expired, beyond the 30 s clock skew", async () => {
    await expectRefused(await realm.sign(claimsLike(realm, { iat: now() - 400, exp: now() - 45 })), "expired");
    // Within the skew a token is still honoured: clocks of two machines differ.
    await expect(verify(await realm.sign(claimsLike(realm, { iat: now() - 300, exp: now() - 10 })))).resolves.toBeTruthy();
  });

  it("not yet valid, beyond the clock skew", async () => {
    await expectRefused(await realm.sign(claimsLike(realm, { nbf: now() + 120 })), "not_yet_valid");
    await expect(verify(await realm.sign(claimsLike(realm, { nbf: now() + 10 })))).resolves.toBeTruthy();
  });

  it("wrong issuer, even signed by the realm's key", async () => {
    await expectRefused(await realm.sign(claimsLike(realm, { iss: "http://localhost:1/realms/infrastructure" })), "issuer");
    await expectRefused(await realm.sign(claimsLike(realm, { iss: undefined })), "issuer");
  });

  it("wrong audience and authorized party", async () => {
    await expectRefused(await realm.sign(claimsLike(realm, { aud: "billing-api", azp: "billing-ui" })), "audience");
    await expectRefused(await realm.sign(claimsLike(realm, { aud: undefined, azp: undefined })), "audience");
  });

  it("a token the realm issued to another application: azp that client, aud only `account`", async () => {
    const { access_token } = await clientCredentialsToken(realm, OTHER_APPLICATION.clientId, OTHER_APPLICATION.secret);
    const claims = JSON.parse(Buffer.from(access_token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: "account", azp: OTHER_APPLICATION.clientId });
    await expectRefused(access_token, "audience");
    await expectRefused(await realm.sign(claimsLike(realm, { aud: ["account", "billing-api"], azp: "billing-ui" })), "audience");
  });

  it("a token from another realm", async () => {
    const { access_token } = await clientCredentialsToken(otherRealm, "ci-admin");
    await expectRefused(access_token, "issuer");
    // …and one from the other realm that claims to be ours: its key is not in our key set.
    await expectRefused(await otherRealm.sign(claimsLike(realm)), "unknown_key");
  });

  it("an ID token presented as an access token", async () => {
    const { id_token } = await userTokens(realm, "admin");
    await expectRefused(id_token!, "token_type");
  });

  it("tokens without expiry or subject, and things that are not JWTs", async () => {
    await expectRefused(await realm.sign(claimsLike(realm, { exp: undefined })), "claims");
    await expectRefused(await realm.sign(claimsLike(realm, { sub: undefined })), "claims");
    const { refresh_token } = await userTokens(realm, "viewer");
    await expectRefused(refresh_token!, "malformed");
    await expectRefused("", "malformed");
    await expectRefused("a.b.c", "malformed");
    await expectRefused(`${"a".repeat(20_000)}.b.c`, "malformed");
  });
});

describe("the realm's key set", () => {
  it("is fetched again when a token names a key it does not hold (key rotation)", async () => {
    const first = await startTestRealm();
    const rotating = createTokenVerifier({
      issuer: first.issuer,
      audiences: [CONSOLE_CLIENT_ID],
      clientId: CONSOLE_CLIENT_ID,
      jwksCooldownMs: 0,
    });
    const before = (await clientCredentialsToken(first, "ci-readonly")).access_token;
    await expect(rotating(before)).resolves.toBeTruthy();
    await first.stop();

    // Same issuer (same port), new signing key: as after a Keycloak key rotation.
    const second = await startTestRealm({ port: first.port });
    try {
      const after = (await clientCredentialsToken(second, "ci-readonly")).access_token;
      await expect(rotating(after)).resolves.toMatchObject({ username: "service-account-ci-readonly" });
      await expect(rotating(before)).rejects.toMatchObject({ reason: "unknown_key" });
    } finally {
      await second.stop();
    }
  });

  it("unreachable means the identity provider is down (503), not that the token is bad", async () => {
    const gone = await startTestRealm();
    const token = (await clientCredentialsToken(gone, "ci-readonly")).access_token;
    await gone.stop();
    const verifier = createTokenVerifier({ issuer: gone.issuer, audiences: [CONSOLE_CLIENT_ID], clientId: CONSOLE_CLIENT_ID });
    const error = await verifier(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect((error as AppError).code).toBe("service_unavailable");
  });
});

describe("verifyAccessToken", () => {
  it("verifies against the realm the settings name", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { KEYCLOAK_URL: realm.url, KEYCLOAK_REALM: "infrastructure", KEYCLOAK_CLIENT_ID: CONSOLE_CLIENT_ID });
    resetSettingsCache();
    try {
      const { access_token } = await clientCredentialsToken(realm, "ci-operator");
      await expect(verifyAccessToken(access_token)).resolves.toMatchObject({ type: "client", clientId: "ci-operator" });
      const { access_token: foreign } = await clientCredentialsToken(otherRealm, "ci-operator");
      await expect(verifyAccessToken(foreign)).rejects.toBeInstanceOf(AuthenticationError);
      // Without KEYCLOAK_AUDIENCES, a token another application of the realm holds is not for the console.
      const { access_token: other } = await clientCredentialsToken(realm, OTHER_APPLICATION.clientId, OTHER_APPLICATION.secret);
      await expect(verifyAccessToken(other)).rejects.toMatchObject({ reason: "audience" });
    } finally {
      for (const key of ["KEYCLOAK_URL", "KEYCLOAK_REALM", "KEYCLOAK_CLIENT_ID"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      resetSettingsCache();
    }
  });
});
