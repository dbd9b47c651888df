import "server-only";
import type { Session } from "next-auth";
import type { Principal } from "./principal";
import { principalFromSession } from "./session-principal";
import { AuthenticationError, verifyAccessToken } from "./verify-token";

/**
 * Who is calling: an automation client or script with `Authorization: Bearer <Keycloak access
 * token>`, or a person with the console's session cookie. Returns null when the request carries
 * neither (or a session that has ended); throws AuthenticationError for a credential that is
 * present but invalid, so the caller answers 401 either way.
 */

// Auth.js's session cookie, plain or `__Secure-` on HTTPS, possibly split into `.0`, `.1`… chunks.
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?authjs\.session-token(?:\.\d+)?=/;

export function hasSessionCookie(request: Request): boolean {
  return SESSION_COOKIE.test(request.headers.get("cookie") ?? "");
}

/**
 * Auth.js's API-route form of `auth(req, res)`: it reads the session from the headers given (not
 * from next/headers, so it works wherever a Request exists, tests included) and appends the
 * cookies of a refreshed session to `res.headers`. Auth.js is loaded on the first session cookie
 * only: bearer-token callers (automation, route tests) never load it.
 */
type ReadSession = (req: { headers: Headers }, res: { headers: Headers }) => Promise<Session | null>;

async function readSession(req: { headers: Headers }, res: { headers: Headers }): Promise<Session | null> {
  const { auth } = await import("./auth-config");
  return (auth as unknown as ReadSession)(req, res);
}

function sessionRequestHeaders(request: Request): Headers {
  const url = new URL(request.url);
  const headers = new Headers({ cookie: request.headers.get("cookie") ?? "" });
  // Auth.js picks the cookie names (secure or not) from the request's origin.
  headers.set("host", request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host);
  headers.set("x-forwarded-proto", request.headers.get("x-forwarded-proto") ?? url.protocol.replace(/:$/, ""));
  return headers;
}

/**
 * @param responseHeaders when given, receives Set-Cookie headers for a session whose access token
 *   was just refreshed; a caller that forwards them saves the next request a refresh.
 */
export async function authenticate(request: Request, responseHeaders?: Headers): Promise<Principal | null> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
    if (!bearer?.[1]) throw new AuthenticationError("malformed");
    return verifyAccessToken(bearer[1]);
  }

  // Without a session cookie there is nothing for Auth.js to read; skipping it also keeps route
  // handlers callable outside a Next request.
  if (!hasSessionCookie(request)) return null;
  const session = await readSession({ headers: sessionRequestHeaders(request) }, { headers: responseHeaders ?? new Headers() });
  return principalFromSession(session);
}
