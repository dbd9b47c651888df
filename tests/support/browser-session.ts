import { NextRequest } from "next/server";
import { expect } from "vitest";
import { handlers } from "../../server/auth/auth-config";
import type { DevRealm } from "../../server/auth/dev-realm/start-dev-realm";
import { CookieJar, completeLogin } from "./dev-realm";

/**
 * The console's browser sign-in without a browser: Auth.js's real route handlers and the
 * development realm over HTTP, as a person signing in at `CONSOLE` would go through them. The
 * settings (AUTH_SECRET, AUTH_URL = CONSOLE, the realm) are the caller's to set first.
 */

export const CONSOLE = "http://localhost:3000";
export const SESSION_COOKIE = "authjs.session-token";

/** One request to Auth.js's handlers, cookies taken from and stored back into `jar`. */
export async function authCall(method: "GET" | "POST", path: string, jar: CookieJar, body?: Record<string, string>) {
  const request = new NextRequest(`${CONSOLE}${path}`, {
    method,
    headers: {
      cookie: jar.header(),
      ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: body ? new URLSearchParams(body).toString() : undefined,
  });
  const response = await handlers[method](request);
  jar.store(response);
  return response;
}

/** Sign-in as a browser does it: CSRF token, sign-in POST, the realm's form, Auth.js's callback. */
export async function signIn(username: string, realm: Pick<DevRealm, "issuer">): Promise<CookieJar> {
  const jar = new CookieJar();
  const { csrfToken } = (await (await authCall("GET", "/api/auth/csrf", jar)).json()) as { csrfToken: string };
  const started = await authCall("POST", "/api/auth/signin/keycloak", jar, { csrfToken, callbackUrl: `${CONSOLE}/` });
  const authorization = started.headers.get("location")!;
  expect(authorization.startsWith(`${realm.issuer}/protocol/openid-connect/auth?`)).toBe(true);
  const params = new URL(authorization).searchParams;
  expect(params.get("code_challenge_method")).toBe("S256");
  expect(params.get("state")).toBeTruthy();

  const callback = await completeLogin(authorization, username, username, `${CONSOLE}/api/auth/callback/keycloak`);
  const finished = await authCall("GET", `${callback.pathname}${callback.search}`, jar);
  expect(finished.status).toBe(302);
  expect(finished.headers.get("location")).toBe(`${CONSOLE}/`);
  return jar;
}

/** The session cookie(s) of a jar as a Cookie header, Auth.js's chunks included. */
export function sessionCookieHeader(jar: CookieJar): string {
  return jar
    .names()
    .filter((name) => name.startsWith(SESSION_COOKIE))
    .map((name) => `${name}=${jar.get(name)}`)
    .join("; ");
}
