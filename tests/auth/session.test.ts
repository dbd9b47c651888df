import { randomBytes } from "node:crypto";
import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFRESH_ERROR } from "../../server/auth/auth-config";
import { authenticate } from "../../server/auth/authenticate";
import { AuthenticationError } from "../../server/auth/verify-token";
import { resetSettingsCache } from "../../server/config/settings";
import {
  CONSOLE_CLIENT_ID,
  type TestRealm,
  clientCredentialsToken,
  clientSecret,
  refreshTokens,
  startTestRealm,
} from "../support/dev-realm";
import { CONSOLE, SESSION_COOKIE, authCall, sessionCookieHeader, signIn as signInAs } from "../support/browser-session";

// The console's browser sign-in end to end, without a browser: Auth.js's real route handlers, the
// development realm over HTTP, and `authenticate` reading the resulting session cookie.

const AUTH_SECRET = randomBytes(32).toString("base64");
const ENV_KEYS = ["ENVIRONMENT", "DEV_REALM_PORT", "KEYCLOAK_URL", "KEYCLOAK_CLIENT_SECRET", "AUTH_SECRET", "AUTH_URL"];
const savedEnv: Record<string, string | undefined> = {};

let realm: TestRealm;

function useRealm(target: TestRealm) {
  // No KEYCLOAK_URL: the console uses the development realm on DEV_REALM_PORT, and the console's
  // client secret comes from the realm file.
  Object.assign(process.env, { ENVIRONMENT: "testing", DEV_REALM_PORT: String(target.port), AUTH_SECRET, AUTH_URL: CONSOLE });
  delete process.env.KEYCLOAK_URL;
  delete process.env.KEYCLOAK_CLIENT_SECRET;
  resetSettingsCache();
}

beforeAll(async () => {
  for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
  realm = await startTestRealm();
  useRealm(realm);
});

afterAll(async () => {
  await realm?.stop();
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  resetSettingsCache();
});

const call = authCall;
const signIn = (username: string, target: TestRealm = realm) => signInAs(username, target);

const apiRequest = (init: { cookie?: string; authorization?: string } = {}) =>
  new Request(`${CONSOLE}/api/migrations`, {
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.authorization ? { authorization: init.authorization } : {}),
    },
  });

/** The session cookie's contents, as only the server (holding AUTH_SECRET) can read them. */
async function storedSession(cookieHeader: string): Promise<Record<string, unknown>> {
  const parts = Object.fromEntries(cookieHeader.split(/;\s*/).map((c) => [c.slice(0, c.indexOf("=")), c.slice(c.indexOf("=") + 1)]));
  const value =
    parts[SESSION_COOKIE] ??
    Object.keys(parts)
      .filter((k) => k.startsWith(`${SESSION_COOKIE}.`))
      .sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()))
      .map((k) => parts[k])
      .join("");
  const token = await decode({ token: value, secret: AUTH_SECRET, salt: SESSION_COOKIE });
  return token as Record<string, unknown>;
}

function setCookieHeader(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .filter((pair) => pair.startsWith(SESSION_COOKIE) && !pair.endsWith("="))
    .join("; ");
}

describe("browser sign-in through Auth.js and the development realm", () => {
  it("gives the session the user's identity and permissions from the access token", async () => {
    const jar = await signIn("operator");
    const principal = await authenticate(apiRequest({ cookie: sessionCookieHeader(jar) }));
    expect(principal).toMatchObject({
      username: "operator",
      name: "Otto Operator",
      email: "operator@infrastructure.localhost",
      type: "user",
      via: "session",
      clientId: CONSOLE_CLIENT_ID,
    });
    expect([...principal!.permissions].sort()).toEqual(
      ["databases:manage", "databases:read", "migrations:execute", "migrations:manage", "migrations:read"].sort(),
    );
  });

  it("never sends Keycloak's tokens to the browser", async () => {
    const jar = await signIn("viewer");
    const response = await call("GET", "/api/auth/session", jar);
    const session = (await response.json()) as Record<string, unknown> & { user: Record<string, unknown> };
    expect(session.user).toMatchObject({ username: "viewer", permissions: ["migrations:read", "databases:read"] });
    const text = JSON.stringify(session);
    for (const secret of ["accessToken", "refreshToken", "idToken", "access_token", "eyJ"]) expect(text).not.toContain(secret);
  });

  it("signing out ends the Keycloak session as well", async () => {
    const jar = await signIn("viewer");
    const stored = await storedSession(sessionCookieHeader(jar));
    const refreshToken = stored.refreshToken as string;
    await expect(refreshTokens(realm, refreshToken)).resolves.toBeTruthy();

    const { csrfToken } = (await (await call("GET", "/api/auth/csrf", jar)).json()) as { csrfToken: string };
    await call("POST", "/api/auth/signout", jar, { csrfToken, callbackUrl: `${CONSOLE}/signin` });
    expect(sessionCookieHeader(jar)).toBe("");
    await expect(refreshTokens(realm, refreshToken)).rejects.toThrow(/invalid_grant/);
  });
});

describe("short-lived access tokens", () => {
  let shortRealm: TestRealm;

  beforeAll(async () => {
    // 30 s tokens are always inside the refresh margin: every read of the session renews them.
    shortRealm = await startTestRealm({ accessTokenTtlSeconds: 30 });
    useRealm(shortRealm);
  });

  afterAll(async () => {
    await shortRealm?.stop();
    useRealm(realm);
  });

  it("are renewed with the refresh token and the new session cookie handed back", async () => {
    const jar = await signIn("approver", shortRealm);
    const cookie = sessionCookieHeader(jar);
    const before = await storedSession(cookie);
    const responseHeaders = new Headers();
    const principal = await authenticate(apiRequest({ cookie }), responseHeaders);
    expect(principal).toMatchObject({ username: "approver", via: "session" });

    const renewed = setCookieHeader(responseHeaders);
    expect(renewed).not.toBe("");
    const after = await storedSession(renewed);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.error).toBeUndefined();
  });

  it("a refused refresh ends the console session cleanly", async () => {
    const jar = await signIn("approver", shortRealm);
    const cookie = sessionCookieHeader(jar);
    const stored = await storedSession(cookie);
    // The Keycloak session ends elsewhere (an administrator, another tab's sign-out…).
    const logout = await fetch(`${shortRealm.issuer}/protocol/openid-connect/logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: CONSOLE_CLIENT_ID,
        client_secret: clientSecret(CONSOLE_CLIENT_ID),
        refresh_token: stored.refreshToken as string,
      }),
    });
    expect(logout.status).toBe(204);

    const responseHeaders = new Headers();
    expect(await authenticate(apiRequest({ cookie }), responseHeaders)).toBeNull();
    const marked = await storedSession(setCookieHeader(responseHeaders));
    expect(marked.error).toBe(REFRESH_ERROR);
    expect(marked.accessToken).toBeUndefined();
    expect(marked.refreshToken).toBeUndefined();
    // The marked cookie stays signed out without asking Keycloak again.
    expect(await authenticate(apiRequest({ cookie: setCookieHeader(responseHeaders) }))).toBeNull();
  });
});

describe("authenticate", () => {
  it("returns null without credentials", async () => {
    expect(await authenticate(apiRequest())).toBeNull();
    expect(await authenticate(apiRequest({ cookie: "theme=dark; other=1" }))).toBeNull();
  });

  it("returns null for a session cookie Auth.js cannot read", async () => {
    expect(await authenticate(apiRequest({ cookie: `${SESSION_COOKIE}=not-a-session` }))).toBeNull();
  });

  it("accepts a valid bearer token", async () => {
    const { access_token } = await clientCredentialsToken(realm, "ci-operator");
    const principal = await authenticate(apiRequest({ authorization: `Bearer ${access_token}` }));
    expect(principal).toMatchObject({ type: "client", clientId: "ci-operator", via: "bearer" });
  });

  it("throws for a bearer token that is present but invalid, even next to a valid session", async () => {
    const jar = await signIn("viewer");
    const request = apiRequest({ cookie: sessionCookieHeader(jar), authorization: "Bearer abc.def.ghi" });
    await expect(authenticate(request)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(authenticate(apiRequest({ authorization: "Basic dXNlcjpwYXNz" }))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(authenticate(apiRequest({ authorization: "Bearer" }))).rejects.toBeInstanceOf(AuthenticationError);
  });
});
