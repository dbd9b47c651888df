import "server-only";
import NextAuth, { type DefaultSession, type NextAuthConfig } from "next-auth";
import type { JWT } from "next-auth/jwt";
import Keycloak from "next-auth/providers/keycloak";
import { decodeJwt } from "jose";
import { z } from "zod";
import { getSettings } from "../config/settings";
import { getLogger } from "../logging/logger";
import { clientSecretFromRealmFile } from "./dev-realm/realm-file";
import { PERMISSIONS, type Permission } from "../domain/permissions";
import type { Principal } from "./principal";
import { verifyAccessToken } from "./verify-token";

/**
 * Browser sign-in with Auth.js and Keycloak.
 *
 * The console's client is confidential (client secret) and uses PKCE S256 as well: the secret
 * proves the console to Keycloak, PKCE binds each code to the browser that started the sign-in.
 * Permissions come from the Keycloak *access* token (the ID token carries no roles), verified like
 * any bearer token. Keycloak access tokens live minutes; the session keeps the refresh token and
 * renews the access token shortly before it expires, re-reading the roles each time. A refresh
 * Keycloak refuses (session ended, user disabled) marks the session with `error`, which
 * `authenticate` treats as signed out. Signing out ends the Keycloak session too.
 */

export const REFRESH_ERROR = "RefreshAccessTokenError";
/** Renew this long before the access token expires, so a request never carries a dead one. */
const REFRESH_MARGIN_SECONDS = 60;
const KEYCLOAK_TIMEOUT_MS = 5_000;

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      username: string;
      permissions: Permission[];
    } & DefaultSession["user"];
    error?: typeof REFRESH_ERROR;
  }
}

/** What the encrypted session cookie holds besides Auth.js's own fields. */
const ZSessionToken = z.object({
  userId: z.string(),
  username: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  permissions: z.array(z.enum(PERMISSIONS)),
  accessToken: z.string().optional(),
  /** Access-token expiry, seconds since the epoch. */
  expiresAt: z.number().optional(),
  refreshToken: z.string().optional(),
  idToken: z.string().optional(),
  error: z.literal(REFRESH_ERROR).optional(),
});
type SessionToken = z.infer<typeof ZSessionToken>;

const readToken = (token: JWT): SessionToken | undefined => {
  const parsed = ZSessionToken.safeParse(token);
  return parsed.success ? parsed.data : undefined;
};

function keycloakEndpoint(path: "token" | "logout"): string {
  return `${getSettings().keycloak.issuer}/protocol/openid-connect/${path}`;
}

let realmFileSecret: { clientId: string; secret: string | undefined } | undefined;

/** The console client's secret; with the development realm it comes from the realm file. */
function consoleClientSecret(): string | undefined {
  const { keycloak } = getSettings();
  if (keycloak.clientSecret) return keycloak.clientSecret;
  if (!keycloak.isDevRealm) return undefined;
  if (realmFileSecret?.clientId !== keycloak.clientId) {
    realmFileSecret = { clientId: keycloak.clientId, secret: clientSecretFromRealmFile(keycloak.clientId) };
  }
  return realmFileSecret.secret;
}

function clientAuth(): Record<string, string> {
  const secret = consoleClientSecret();
  return { client_id: getSettings().keycloak.clientId, ...(secret ? { client_secret: secret } : {}) };
}

/** Session fields from a freshly issued access token (verified: signature, issuer, audience). */
async function fromAccessToken(accessToken: string): Promise<Pick<SessionToken, "userId" | "username" | "name" | "email" | "permissions" | "accessToken" | "expiresAt">> {
  const principal: Principal = await verifyAccessToken(accessToken);
  return {
    userId: principal.id,
    username: principal.username,
    name: principal.name,
    email: principal.email,
    permissions: principal.permissions,
    accessToken,
    expiresAt: decodeJwt(accessToken).exp,
  };
}

interface KeycloakTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

const refreshing = new Map<string, Promise<KeycloakTokens>>();

/** One refresh per refresh token at a time: parallel requests of one browser share the result. */
function refreshOnce(refreshToken: string): Promise<KeycloakTokens> {
  let pending = refreshing.get(refreshToken);
  if (!pending) {
    pending = (async () => {
      const response = await fetch(keycloakEndpoint("token"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, ...clientAuth() }),
        signal: AbortSignal.timeout(KEYCLOAK_TIMEOUT_MS),
      });
      const body = (await response.json().catch(() => ({}))) as Partial<KeycloakTokens> & { error?: unknown };
      if (!response.ok || typeof body.access_token !== "string") {
        throw new Error(`Keycloak refused the refresh (${response.status} ${typeof body.error === "string" ? body.error : ""})`);
      }
      return body as KeycloakTokens;
    })().finally(() => refreshing.delete(refreshToken));
    refreshing.set(refreshToken, pending);
  }
  return pending;
}

async function refreshed(token: JWT, stored: SessionToken): Promise<JWT> {
  try {
    if (!stored.refreshToken) throw new Error("the session holds no refresh token");
    const tokens = await refreshOnce(stored.refreshToken);
    return {
      ...token,
      ...(await fromAccessToken(tokens.access_token)),
      refreshToken: tokens.refresh_token ?? stored.refreshToken,
      idToken: tokens.id_token ?? stored.idToken,
      error: undefined,
    };
  } catch (error) {
    getLogger().warn(
      { user: stored.username, reason: error instanceof Error ? error.message : "unknown" },
      "access token refresh failed; the session ends",
    );
    return { ...token, accessToken: undefined, refreshToken: undefined, expiresAt: undefined, error: REFRESH_ERROR };
  }
}

/** Ends the user's Keycloak session: back-channel with the refresh token, else by id_token_hint. */
async function endKeycloakSession(stored: SessionToken) {
  try {
    let response: Response;
    if (stored.refreshToken) {
      response = await fetch(keycloakEndpoint("logout"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ refresh_token: stored.refreshToken, ...clientAuth() }),
        signal: AbortSignal.timeout(KEYCLOAK_TIMEOUT_MS),
      });
    } else if (stored.idToken) {
      const url = new URL(keycloakEndpoint("logout"));
      url.searchParams.set("id_token_hint", stored.idToken);
      response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(KEYCLOAK_TIMEOUT_MS) });
    } else {
      return;
    }
    if (response.status >= 400) {
      getLogger().warn({ user: stored.username, status: response.status }, "Keycloak did not end the session");
    }
  } catch (error) {
    getLogger().warn(
      { user: stored.username, reason: error instanceof Error ? error.message : "unknown" },
      "could not reach Keycloak to end the session",
    );
  }
}

function buildConfig(): NextAuthConfig {
  const settings = getSettings();
  return {
    trustHost: true,
    secret: settings.authSecret,
    session: { strategy: "jwt", maxAge: 10 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      Keycloak({
        issuer: settings.keycloak.issuer,
        clientId: settings.keycloak.clientId,
        clientSecret: consoleClientSecret(),
        checks: ["pkce", "state"],
      }),
    ],
    callbacks: {
      async jwt({ token, account }) {
        if (account) {
          if (!account.access_token) throw new Error("Keycloak returned no access token");
          return {
            ...token,
            ...(await fromAccessToken(account.access_token)),
            refreshToken: account.refresh_token,
            idToken: account.id_token,
          };
        }
        const stored = readToken(token);
        if (!stored) return null;
        if (stored.error) return token;
        const now = Math.floor(Date.now() / 1000);
        if (stored.expiresAt !== undefined && stored.expiresAt - now > REFRESH_MARGIN_SECONDS) return token;
        return refreshed(token, stored);
      },
      session({ session, token }) {
        const stored = readToken(token);
        if (!stored) return session;
        // Only identity and permissions reach the browser; Keycloak's tokens stay in the cookie.
        return {
          ...session,
          user: {
            ...session.user,
            id: stored.userId,
            username: stored.username,
            name: stored.name ?? null,
            email: stored.email ?? null,
            permissions: stored.permissions,
          },
          ...(stored.error ? { error: stored.error } : {}),
        };
      },
    },
    // Auth.js logs through the console's logger: error names and causes, never tokens or cookies.
    logger: {
      error(error) {
        const type = (error as { type?: string }).type ?? error.name;
        const cause = error.cause instanceof Error ? error.cause.message : undefined;
        // A cookie sealed with an older AUTH_SECRET is routine after a restart, not an error.
        const level = type === "JWTSessionError" ? "info" : "warn";
        getLogger()[level]({ type, cause }, "sign-in problem");
      },
      warn(code) {
        getLogger().warn({ code }, "Auth.js warning");
      },
      debug() {},
    },
    events: {
      async signOut(message) {
        const stored = "token" in message && message.token ? readToken(message.token) : undefined;
        if (stored) await endKeycloakSession(stored);
      },
    },
  };
}

// Built per request, so AUTH_SECRET and Keycloak settings are read at run time, not at build.
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
