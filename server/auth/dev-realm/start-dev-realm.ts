import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type JWK, calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair } from "jose";
import type Provider from "oidc-provider";
import { hasCookie, readForm, redirect, sendHtml, sendJson } from "./http-helpers";
import { backchannelLogout, idTokenHintLogout } from "./logout";
import { createMemoryStore } from "./memory-store";
import { errorPage, loginPage } from "./pages";
import { verifyPassword } from "./passwords";
import { KEYCLOAK_ROUTES, LOGIN_PATH, createRealmProvider } from "./provider";
import { type RealmExport, loadRealmFile } from "./realm-file";
import { type RealmModel, createRealmModel } from "./realm-model";
import { userinfo } from "./userinfo";

/**
 * A Keycloak-compatible OpenID provider for development and tests, built on oidc-provider and fed
 * by a Keycloak realm export. It serves `/realms/<realm>` with Keycloak's endpoint paths and claims,
 * so the console talks to it exactly as it talks to Keycloak. It never runs in production.
 */
export interface DevRealmOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Address to bind; browsers and the console use `localhost` in URLs either way. */
  host?: string;
  /** Keycloak realm export to load (default deploy/keycloak/realm.json). */
  realmFile?: string;
  /** An already-loaded realm export; takes precedence over realmFile. */
  realm?: RealmExport;
  /** Base URL clients use, e.g. http://localhost:8089 (default http://localhost:<port>). */
  publicUrl?: string;
  /** Access-token lifetime; default the realm's accessTokenLifespan (Keycloak's 5 minutes). */
  accessTokenTtlSeconds?: number;
  /** Private RS256 signing key (JWK with kid); default a fresh key per start. */
  signingKey?: JWK;
}

export interface DevRealm {
  /** Issuer, e.g. http://localhost:8089/realms/infrastructure. */
  issuer: string;
  /** Base URL, e.g. http://localhost:8089 (what KEYCLOAK_URL would be). */
  url: string;
  realm: string;
  port: number;
  stop(): Promise<void>;
}

export class DevRealmRefusedError extends Error {
  constructor() {
    super(
      "The development realm cannot start when ENVIRONMENT=production. Set KEYCLOAK_URL, KEYCLOAK_REALM, " +
        "KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET to use your Keycloak.",
    );
    this.name = "DevRealmRefusedError";
  }
}

/** Throws DevRealmRefusedError when ENVIRONMENT=production. */
export function assertDevRealmAllowed() {
  if ((process.env.ENVIRONMENT ?? "").trim().toLowerCase() === "production") throw new DevRealmRefusedError();
}

export async function createSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: "RS256", use: "sig" };
}

function publicPart(jwk: JWK): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

export async function startDevRealm(options: DevRealmOptions): Promise<DevRealm> {
  assertDevRealmAllowed();
  const settings = options.realm ?? loadRealmFile(options.realmFile);
  const realm = createRealmModel(settings);
  const host = options.host ?? "127.0.0.1";

  // The issuer must be known before the provider exists, and with port 0 only after listening.
  let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    sendJson(res, 503, { error: "starting" });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("development realm: request failed:", error instanceof Error ? error.message : error);
      if (!res.headersSent) sendJson(res, 500, { error: "server_error" });
      else res.end();
    });
  });
  const port = await listen(server, options.port, host);
  const url = (options.publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, "");
  const realmPath = `/realms/${realm.name}`;
  const issuer = `${url}${realmPath}`;

  const key = options.signingKey ?? (await createSigningKey());
  const keys = createLocalJWKSet({ keys: [publicPart(key)] });
  const store = createMemoryStore();
  const provider = createRealmProvider({
    realm,
    issuer,
    keys: [key],
    store,
    cookieKeys: [randomBytes(32).toString("base64url")],
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? settings.accessTokenLifespan,
  });
  provider.on("server_error", (_ctx: unknown, error: unknown) => {
    console.error("development realm: provider error:", error instanceof Error ? error.message : error);
  });
  const delegate = provider.callback();
  const context = { realm, provider, store, issuer, keys };

  handle = async (req, res) => {
    const requestUrl = new URL(req.url ?? "/", "http://realm.invalid");
    const path = requestUrl.pathname;
    if (path !== realmPath && !path.startsWith(`${realmPath}/`)) {
      sendJson(res, 404, { error: "Realm does not exist" });
      return;
    }
    const rest = path.slice(realmPath.length) || "/";

    if (rest.startsWith(`${LOGIN_PATH}/`)) {
      await login(provider, realm, req, res);
      return;
    }
    if (rest === KEYCLOAK_ROUTES.userinfo) {
      await userinfo(context, req, res);
      return;
    }
    if (rest === KEYCLOAK_ROUTES.end_session && req.method === "POST") {
      const form = await readForm(req);
      if (form.has("refresh_token")) {
        await backchannelLogout(context, req, res, form);
      } else {
        // A browser form post: hand it to the provider's logout as the equivalent GET.
        redirect(res, `${requestUrl.pathname}?${form.toString()}`, 303);
      }
      return;
    }
    if (rest === KEYCLOAK_ROUTES.end_session && !hasCookie(req, "KEYCLOAK_SESSION")) {
      if (await idTokenHintLogout(context, res, requestUrl.searchParams)) return;
    }

    // oidc-provider routes relative to its mount point and derives that from originalUrl.
    const mounted = req as IncomingMessage & { originalUrl?: string };
    mounted.originalUrl = req.url;
    req.url = `${rest}${requestUrl.search}`;
    delegate(req, res);
  };

  return {
    issuer,
    url,
    realm: realm.name,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const LOGIN_FAILED = "Invalid username or password.";

async function login(provider: Provider, realm: RealmModel, req: IncomingMessage, res: ServerResponse) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    sendHtml(res, 400, errorPage("Your sign-in attempt timed out or was already used. Start again from the console."));
    return;
  }
  const action = new URL(req.url ?? "/", "http://realm.invalid").pathname;
  const displayName = realm.settings.displayName ?? realm.name;

  if (details.prompt.name !== "login") {
    // Consent is granted by the provider's grant loading; anything else cannot be answered here.
    sendHtml(res, 400, errorPage("This sign-in step is not supported by the development realm."));
    return;
  }
  if (req.method !== "POST") {
    sendHtml(res, 200, loginPage({ realmDisplayName: displayName, action }));
    return;
  }
  const form = await readForm(req);
  const username = form.get("username") ?? "";
  const user = realm.findUserForLogin(username);
  const valid = user !== undefined && user.enabled && (await verifyPassword(user.credentials, form.get("password") ?? ""));
  if (!valid || !user) {
    sendHtml(res, 401, loginPage({ realmDisplayName: displayName, action, username, error: LOGIN_FAILED }));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
}
