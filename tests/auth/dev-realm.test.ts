import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DevRealmRefusedError, startDevRealm } from "../../server/auth/dev-realm/start-dev-realm";
import { freePort } from "../support/global-setup";
import {
  CONSOLE_CLIENT_ID,
  TEST_REDIRECT_URI,
  type TestRealm,
  browserLogin,
  clientCredentialsToken,
  clientSecret,
  exchangeCode,
  refreshTokens,
  startTestRealm,
  userTokens,
} from "../support/dev-realm";

let realm: TestRealm;

beforeAll(async () => {
  realm = await startTestRealm();
});

afterAll(async () => {
  await realm?.stop();
});

const form = (values: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(values),
});

describe("development realm: Keycloak's endpoints", () => {
  it("publishes discovery with Keycloak's paths under /realms/infrastructure", async () => {
    const response = await fetch(`${realm.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(realm.issuer).toBe(`http://localhost:${realm.port}/realms/infrastructure`);
    expect(discovery.issuer).toBe(realm.issuer);
    const base = `${realm.issuer}/protocol/openid-connect`;
    expect(discovery.authorization_endpoint).toBe(`${base}/auth`);
    expect(discovery.token_endpoint).toBe(`${base}/token`);
    expect(discovery.jwks_uri).toBe(`${base}/certs`);
    expect(discovery.userinfo_endpoint).toBe(`${base}/userinfo`);
    expect(discovery.end_session_endpoint).toBe(`${base}/logout`);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("answers other realms like Keycloak: 404", async () => {
    const response = await fetch(`${realm.url}/realms/master/.well-known/openid-configuration`);
    expect(response.status).toBe(404);
  });

  it("publishes only public key material", async () => {
    const { keys } = (await (await fetch(`${realm.issuer}/protocol/openid-connect/certs`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    for (const privatePart of ["d", "p", "q", "dp", "dq", "qi"]) expect(keys[0]).not.toHaveProperty(privatePart);
  });
});

describe("development realm: signing in", () => {
  it("shows a plain login form with labelled fields and a submit button", async () => {
    const auth = new URL(`${realm.issuer}/protocol/openid-connect/auth`);
    auth.search = new URLSearchParams({
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: TEST_REDIRECT_URI,
      response_type: "code",
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }).toString();
    const redirect = await fetch(auth, { redirect: "manual" });
    expect(redirect.status).toBe(303);
    const login = await fetch(new URL(redirect.headers.get("location")!, auth), {
      headers: { cookie: redirect.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
    });
    const html = await login.text();
    expect(login.status).toBe(200);
    expect(html).toMatch(/<label for="username">[^<]+<\/label>/);
    expect(html).toMatch(/<input type="text" id="username" name="username"/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<input type="password" id="password" name="password"/);
    expect(html).toMatch(/<button type="submit"[^>]*>Sign in<\/button>/);
  });

  it("refuses a wrong password and issues no code", async () => {
    await expect(browserLogin(realm, "viewer", "not-the-password")).rejects.toThrow(/login failed \(401\)/);
    await expect(browserLogin(realm, "nobody", "nobody")).rejects.toThrow(/login failed/);
  });

  it("refuses PKCE-less requests and unregistered redirect URIs", async () => {
    const base = { client_id: CONSOLE_CLIENT_ID, response_type: "code", scope: "openid" };
    const noPkce = await fetch(
      `${realm.issuer}/protocol/openid-connect/auth?${new URLSearchParams({ ...base, redirect_uri: TEST_REDIRECT_URI })}`,
      { redirect: "manual" },
    );
    expect(new URL(noPkce.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");

    const elsewhere = await fetch(
      `${realm.issuer}/protocol/openid-connect/auth?${new URLSearchParams({
        ...base,
        redirect_uri: "https://attacker.example/callback",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
      })}`,
      { redirect: "manual" },
    );
    // No redirect to an unregistered URI: the realm shows its own error page.
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get("location")).toBeNull();
  });

  it("issues Keycloak-shaped RS256 access tokens, an ID token and a refresh token", async () => {
    const tokens = await userTokens(realm, "operator");
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.expires_in).toBe(300);
    expect(tokens.refresh_token).toBeTruthy();
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: "RS256", typ: "JWT" });

    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: realm.issuer,
      aud: CONSOLE_CLIENT_ID,
      azp: CONSOLE_CLIENT_ID,
      typ: "Bearer",
      preferred_username: "operator",
      email: "operator@infrastructure.localhost",
      name: "Otto Operator",
      email_verified: true,
    });
    expect(typeof claims.sid).toBe("string");
    expect(claims.exp! - claims.iat!).toBe(300);
    expect((claims.realm_access as { roles: string[] }).roles).toEqual(
      expect.arrayContaining(["migrations:read", "migrations:execute", "migrations:manage", "databases:read", "databases:manage"]),
    );
    expect((claims.realm_access as { roles: string[] }).roles).not.toContain("infrastructure:admin");

    const id = decodeJwt(tokens.id_token!);
    expect(id).toMatchObject({ aud: CONSOLE_CLIENT_ID, typ: "ID", preferred_username: "operator", sid: claims.sid });
  });

  it("lets users sign in with their e-mail address", async () => {
    const tokens = await userTokens(realm, "viewer@infrastructure.localhost", "viewer");
    expect(decodeJwt(tokens.access_token).preferred_username).toBe("viewer");
  });

  it("redeems a code once, and only with its PKCE verifier", async () => {
    const login = await browserLogin(realm, "viewer", "viewer");
    await expect(exchangeCode(realm, { ...login, codeVerifier: "x".repeat(43) })).rejects.toThrow(/invalid_grant/);

    const again = await browserLogin(realm, "viewer", "viewer");
    await exchangeCode(realm, again);
    await expect(exchangeCode(realm, again)).rejects.toThrow(/invalid_grant/);
  });

  it("remembers the browser's session: a second sign-in needs no password", async () => {
    const first = await browserLogin(realm, "viewer", "viewer");
    const auth = new URL(`${realm.issuer}/protocol/openid-connect/auth`);
    auth.search = new URLSearchParams({
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: TEST_REDIRECT_URI,
      response_type: "code",
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }).toString();
    const response = await fetch(auth, { redirect: "manual", headers: { cookie: first.cookies } });
    expect(response.headers.get("location")).toMatch(new RegExp(`^${TEST_REDIRECT_URI}\\?code=`));
  });

  it("refreshes access tokens and re-reads the roles", async () => {
    const tokens = await userTokens(realm, "admin");
    const refreshed = await refreshTokens(realm, tokens.refresh_token!);
    const claims = decodeJwt(refreshed.access_token);
    expect(claims.jti).not.toBe(decodeJwt(tokens.access_token).jti);
    expect((claims.realm_access as { roles: string[] }).roles).toContain("infrastructure:admin");
    // Keycloak's default (revokeRefreshToken off): the old refresh token stays usable.
    await expect(refreshTokens(realm, tokens.refresh_token!)).resolves.toBeTruthy();
  });

  it("answers userinfo for a live access token", async () => {
    const tokens = await userTokens(realm, "viewer");
    const response = await fetch(`${realm.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ preferred_username: "viewer", email: "viewer@infrastructure.localhost" });
    const forged = await fetch(`${realm.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token.slice(0, -4)}AAAA` },
    });
    expect(forged.status).toBe(401);
  });
});

describe("development realm: automation clients", () => {
  it.each([
    ["ci-readonly", ["migrations:read", "databases:read"]],
    ["ci-operator", ["migrations:read", "migrations:execute", "databases:read"]],
    ["ci-admin", ["infrastructure:admin"]],
  ])("%s gets a client-credentials token with its service account's roles", async (clientId, roles) => {
    const tokens = await clientCredentialsToken(realm, clientId);
    expect(tokens.refresh_token).toBeUndefined();
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: realm.issuer,
      azp: clientId,
      aud: CONSOLE_CLIENT_ID,
      typ: "Bearer",
      preferred_username: `service-account-${clientId}`,
      clientId,
    });
    expect(claims.sid).toBeUndefined();
    const granted = (claims.realm_access as { roles: string[] }).roles.filter((r) => r.includes(":"));
    expect(granted.sort()).toEqual([...roles].sort());
  });

  it("accepts client authentication by HTTP Basic as well as in the form", async () => {
    const response = await fetch(`${realm.issuer}/protocol/openid-connect/token`, {
      ...form({ grant_type: "client_credentials" }),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`ci-readonly:${clientSecret("ci-readonly")}`).toString("base64")}`,
      },
    });
    expect(response.status).toBe(200);
  });

  it("refuses a wrong secret, and client credentials for the console's browser client", async () => {
    const wrong = await fetch(
      `${realm.issuer}/protocol/openid-connect/token`,
      form({ grant_type: "client_credentials", client_id: "ci-admin", client_secret: "guess" }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });

    const browserClient = await fetch(
      `${realm.issuer}/protocol/openid-connect/token`,
      form({ grant_type: "client_credentials", client_id: CONSOLE_CLIENT_ID, client_secret: clientSecret(CONSOLE_CLIENT_ID) }),
    );
    expect(browserClient.status).toBe(400);
    const refused = (await browserClient.json()) as Record<string, unknown>;
    expect(refused.access_token).toBeUndefined();
    expect(refused.error_description).toMatch(/grant type is not allowed/);
  });
});

describe("development realm: signing out", () => {
  it("ends the session for a back-channel logout with the refresh token (Keycloak's POST /logout)", async () => {
    const login = await browserLogin(realm, "operator", "operator");
    const tokens = await exchangeCode(realm, login);
    const unauthenticated = await fetch(
      `${realm.issuer}/protocol/openid-connect/logout`,
      form({ client_id: CONSOLE_CLIENT_ID, client_secret: "wrong", refresh_token: tokens.refresh_token! }),
    );
    expect(unauthenticated.status).toBe(401);

    const logout = await fetch(
      `${realm.issuer}/protocol/openid-connect/logout`,
      form({ client_id: CONSOLE_CLIENT_ID, client_secret: clientSecret(CONSOLE_CLIENT_ID), refresh_token: tokens.refresh_token! }),
    );
    expect(logout.status).toBe(204);
    await expect(refreshTokens(realm, tokens.refresh_token!)).rejects.toThrow(/invalid_grant/);
    // The browser's SSO session is gone too: the next sign-in asks for the password again.
    const auth = new URL(`${realm.issuer}/protocol/openid-connect/auth`);
    auth.search = new URLSearchParams({
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: TEST_REDIRECT_URI,
      response_type: "code",
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }).toString();
    const again = await fetch(auth, { redirect: "manual", headers: { cookie: login.cookies } });
    expect(again.headers.get("location")).toContain("/login-actions/authenticate/");
  });

  it("ends the session for an id_token_hint from a server without the browser's cookies", async () => {
    const tokens = await userTokens(realm, "viewer");
    const url = new URL(`${realm.issuer}/protocol/openid-connect/logout`);
    url.searchParams.set("id_token_hint", tokens.id_token!);
    url.searchParams.set("post_logout_redirect_uri", "http://localhost:3000/signin");
    url.searchParams.set("state", "s1");
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://localhost:3000/signin?state=s1");
    await expect(refreshTokens(realm, tokens.refresh_token!)).rejects.toThrow(/invalid_grant/);
    const userinfo = await fetch(`${realm.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it("refuses a post-logout redirect the client did not register", async () => {
    const tokens = await userTokens(realm, "viewer");
    const url = new URL(`${realm.issuer}/protocol/openid-connect/logout`);
    url.searchParams.set("id_token_hint", tokens.id_token!);
    url.searchParams.set("post_logout_redirect_uri", "https://attacker.example/");
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(400);
    await expect(refreshTokens(realm, tokens.refresh_token!)).resolves.toBeTruthy();
  });

  it("signs a browser out through the confirmation the provider shows (RP-initiated logout)", async () => {
    const login = await browserLogin(realm, "viewer", "viewer");
    const tokens = await exchangeCode(realm, login);
    const url = new URL(`${realm.issuer}/protocol/openid-connect/logout`);
    url.searchParams.set("id_token_hint", tokens.id_token!);
    const page = await fetch(url, { headers: { cookie: login.cookies } });
    const html = await page.text();
    expect(page.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    const action = /<form id="op\.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
    expect(xsrf && action).toBeTruthy();
    const confirm = await fetch(action!, {
      ...form({ xsrf: xsrf!, logout: "yes" }),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: login.cookies },
      redirect: "manual",
    });
    expect(confirm.status).toBe(303);
    await expect(refreshTokens(realm, tokens.refresh_token!)).rejects.toThrow(/invalid_grant/);
  });
});

describe("development realm: configuration", () => {
  it("uses a configurable access-token lifetime", async () => {
    const short = await startTestRealm({ accessTokenTtlSeconds: 60 });
    try {
      const claims = decodeJwt((await clientCredentialsToken(short, "ci-readonly")).access_token);
      expect(claims.exp! - claims.iat!).toBe(60);
    } finally {
      await short.stop();
    }
  });

  it("refuses to start when ENVIRONMENT=production", async () => {
    const previous = process.env.ENVIRONMENT;
    process.env.ENVIRONMENT = "production";
    try {
      const port = await freePort();
      await expect(startDevRealm({ port })).rejects.toBeInstanceOf(DevRealmRefusedError);
      // Nothing listens: the refusal happens before the port is opened.
      await expect(fetch(`http://127.0.0.1:${port}/realms/infrastructure/.well-known/openid-configuration`)).rejects.toThrow();
    } finally {
      if (previous === undefined) delete process.env.ENVIRONMENT;
      else process.env.ENVIRONMENT = previous;
    }
  });
});
