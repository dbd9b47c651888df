import { createHash, createHmac, createPrivateKey, randomBytes, sign as signBytes } from "node:crypto";
import { type JWK, type JWTPayload, SignJWT, decodeJwt, generateKeyPair, importJWK } from "jose";
import { DEFAULT_REALM_FILE, type RealmExport, loadRealmFile } from "../../server/auth/dev-realm/realm-file";
import {
  type DevRealm,
  type DevRealmOptions,
  createSigningKey,
  startDevRealm,
} from "../../server/auth/dev-realm/start-dev-realm";
import { freePort } from "./global-setup";

/**
 * Integration-test helpers around the development realm: start it on a free port, get real tokens
 * the way Keycloak's clients do (client credentials; the browser login flow driven with fetch), and
 * mint hostile tokens for negative tests.
 */

export const CONSOLE_CLIENT_ID = "infrastructure-console";
/** A redirect URI the console's client accepts (nothing needs to listen there). */
export const TEST_REDIRECT_URI = "http://localhost:3000/api/auth/callback/keycloak";

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

export const realmExport = (): RealmExport => loadRealmFile(DEFAULT_REALM_FILE);

/** A secret from the realm file, so tests never repeat secrets. */
export function clientSecret(clientId: string, realm: RealmExport = realmExport()): string {
  const secret = realm.clients.find((c) => c.clientId === clientId)?.secret;
  if (!secret) throw new Error(`realm file has no secret for ${clientId}`);
  return secret;
}

export interface TestRealm extends DevRealm {
  /** Signs claims with the realm's own key: a genuine signature over whatever the test wants. */
  sign(claims: JWTPayload): Promise<string>;
  /** The same, RS256 with any header (extension headers a JWT library would refuse to write). */
  signWithHeader(header: Record<string, unknown>, claims: JWTPayload): string;
}

/** The development realm on a free port, with a signing key the test can use too. */
export async function startTestRealm(options: Partial<DevRealmOptions> = {}): Promise<TestRealm> {
  const key = options.signingKey ?? (await createSigningKey());
  const realm = await startDevRealm({ port: await freePort(), ...options, signingKey: key });
  const privateKey = await importJWK(key, "RS256");
  const rawKey = createPrivateKey({ key: key as never, format: "jwk" });
  return {
    ...realm,
    sign: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", ...(key.kid ? { kid: key.kid } : {}) }).sign(privateKey),
    signWithHeader: (header, claims) => {
      const input = `${b64({ alg: "RS256", typ: "JWT", ...(key.kid ? { kid: key.kid } : {}), ...header })}.${b64(claims)}`;
      return `${input}.${signBytes("sha256", Buffer.from(input), rawKey).toString("base64url")}`;
    },
  };
}

/** The same realm export under another realm name: a second, unrelated realm for negative tests. */
export function otherRealmExport(name: string): RealmExport {
  return { ...realmExport(), realm: name, id: name };
}

/** The client of `realmWithOtherApplication`: another application of the realm, nothing to do with the console. */
export const OTHER_APPLICATION = { clientId: "reporting-app", secret: "reporting-app-test-secret" };

/**
 * The realm file plus another application (`reporting-app`, client credentials) whose service account
 * holds every realm role and, as Keycloak's default roles give every user, roles of the `account`
 * client: its tokens carry `aud: account` and `azp: reporting-app`, never the console.
 */
export function realmWithOtherApplication(): RealmExport {
  const base = realmExport();
  return {
    ...base,
    roles: { ...base.roles, client: { ...base.roles.client, account: [{ name: "view-profile", composite: false }, { name: "manage-account", composite: false }] } },
    clients: [
      ...base.clients,
      {
        clientId: OTHER_APPLICATION.clientId,
        enabled: true,
        secret: OTHER_APPLICATION.secret,
        publicClient: false,
        bearerOnly: false,
        standardFlowEnabled: false,
        serviceAccountsEnabled: true,
        redirectUris: [],
        attributes: {},
        protocolMappers: [],
      },
    ],
    users: [
      ...base.users,
      {
        id: "7d0b3a52-2f4e-4f43-9d0e-6d3c1b1e9a01",
        username: `service-account-${OTHER_APPLICATION.clientId}`,
        enabled: true,
        emailVerified: false,
        serviceAccountClientId: OTHER_APPLICATION.clientId,
        credentials: [],
        realmRoles: ["infrastructure:admin"],
        clientRoles: { account: ["view-profile", "manage-account"] },
      },
    ],
  };
}

async function tokenRequest(realm: DevRealm, body: Record<string, string>, basic?: [string, string]) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString("base64")}`;
  return fetch(`${realm.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers,
    body: new URLSearchParams(body),
  });
}

async function tokensOrThrow(response: Response, what: string): Promise<TokenResponse> {
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as TokenResponse;
}

/** client_credentials for an automation client (secret from the realm file by default). */
export async function clientCredentialsToken(realm: DevRealm, clientId: string, secret = clientSecret(clientId)) {
  const response = await tokenRequest(realm, { grant_type: "client_credentials", client_id: clientId, client_secret: secret });
  return tokensOrThrow(response, `client_credentials for ${clientId}`);
}

export async function refreshTokens(realm: DevRealm, refreshToken: string, clientId = CONSOLE_CLIENT_ID) {
  const response = await tokenRequest(realm, { grant_type: "refresh_token", refresh_token: refreshToken }, [clientId, clientSecret(clientId)]);
  return tokensOrThrow(response, "refresh");
}

/** A minimal cookie jar for one host (paths are ignored). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [k = "", v = ""] = a.trim().split("=");
        return (k.toLowerCase() === "expires" && Date.parse(v) <= Date.now()) || (k.toLowerCase() === "max-age" && Number(v) <= 0);
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }
}

export interface LoginOptions {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
}

export interface BrowserLogin {
  /** The authorization code and what is needed to redeem it. */
  code: string;
  codeVerifier: string;
  redirectUri: string;
  clientId: string;
  /** Cookies the "browser" holds at the realm (its SSO session). */
  cookies: string;
}

const unescapeHtml = (s: string) => s.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#39;", "'");

/**
 * What a browser does from an authorization request on: follow redirects, fill in the login form
 * once, until the realm redirects to `redirectUri`. Returns that final URL. Throws when the login
 * fails or the realm answers with an error.
 */
export async function completeLogin(
  authorizationUrl: string,
  username: string,
  password: string,
  redirectUri: string,
  jar = new CookieJar(),
): Promise<URL> {
  let url = authorizationUrl;
  let init: RequestInit = {};
  let submitted = false;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as object), cookie: jar.header() } });
    jar.store(response);
    init = {};
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) {
        const error = next.searchParams.get("error");
        if (error) throw new Error(`authorization failed: ${error} ${next.searchParams.get("error_description") ?? ""}`);
        return next;
      }
      url = next.href;
      continue;
    }
    const html = await response.text();
    if (submitted) throw new Error(`login failed (${response.status})`);
    const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`unexpected page (${response.status}) during login`);
    url = new URL(unescapeHtml(action), url).href;
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password }).toString(),
    };
    submitted = true;
  }
  throw new Error("too many redirects during login");
}

/** The authorization-code flow with PKCE, as the console's browser sign-in runs it. */
export async function browserLogin(realm: DevRealm, username: string, password: string, options: LoginOptions = {}): Promise<BrowserLogin> {
  const clientId = options.clientId ?? CONSOLE_CLIENT_ID;
  const redirectUri = options.redirectUri ?? TEST_REDIRECT_URI;
  const codeVerifier = randomBytes(32).toString("base64url");
  const state = randomBytes(12).toString("base64url");
  const auth = new URL(`${realm.issuer}/protocol/openid-connect/auth`);
  auth.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: options.scope ?? "openid profile email",
    state,
    nonce: randomBytes(12).toString("base64url"),
    code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();

  const jar = new CookieJar();
  const callback = await completeLogin(auth.href, username, password, redirectUri, jar);
  if (callback.searchParams.get("state") !== state) throw new Error("state mismatch");
  const code = callback.searchParams.get("code");
  if (!code) throw new Error("no code in the redirect");
  return { code, codeVerifier, redirectUri, clientId, cookies: jar.header() };
}

export async function exchangeCode(realm: DevRealm, login: BrowserLogin, secret = clientSecret(login.clientId)) {
  const response = await tokenRequest(
    realm,
    { grant_type: "authorization_code", code: login.code, redirect_uri: login.redirectUri, code_verifier: login.codeVerifier },
    [login.clientId, secret],
  );
  return tokensOrThrow(response, "code exchange");
}

/** A user's tokens through the real login flow (passwords in the realm file equal the username). */
export async function userTokens(realm: DevRealm, username: string, password = username, options: LoginOptions = {}) {
  return exchangeCode(realm, await browserLogin(realm, username, password, options));
}

// ---- hostile tokens -------------------------------------------------------------------------

/** The realm's current public signing key as its JWKS endpoint publishes it. */
export async function realmPublicJwk(realm: DevRealm): Promise<JWK> {
  const response = await fetch(`${realm.issuer}/protocol/openid-connect/certs`);
  const { keys } = (await response.json()) as { keys: JWK[] };
  const key = keys[0];
  if (!key) throw new Error("realm publishes no keys");
  return key;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Claims a valid-looking token of this realm would carry, for building forgeries. */
export function claimsLike(realm: DevRealm, overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: realm.issuer,
    sub: "00000000-0000-4000-8000-000000000000",
    aud: CONSOLE_CLIENT_ID,
    azp: CONSOLE_CLIENT_ID,
    typ: "Bearer",
    iat: now,
    exp: now + 300,
    preferred_username: "intruder",
    realm_access: { roles: ["infrastructure:admin"] },
    ...overrides,
  };
}

/** `alg: none`: a header, a payload and an empty signature. */
export function unsignedToken(claims: JWTPayload, kid?: string): string {
  return `${b64({ alg: "none", typ: "JWT", ...(kid ? { kid } : {}) })}.${b64(claims)}.`;
}

/** HS256 with an arbitrary secret: the classic "sign with the public key" confusion. */
export function hmacToken(claims: JWTPayload, secret: Buffer | string, kid?: string): string {
  const input = `${b64({ alg: "HS256", typ: "JWT", ...(kid ? { kid } : {}) })}.${b64(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** A real RS256 signature by a key the realm never had, optionally claiming the realm's kid. */
export async function foreignKeyToken(claims: JWTPayload, kid?: string): Promise<string> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", ...(kid ? { kid } : {}) }).sign(privateKey);
}

/** Changes claims of a genuine token and keeps its original signature. */
export function tamperedToken(token: string, changes: JWTPayload): string {
  const [header = "", , signature = ""] = token.split(".");
  return `${header}.${b64({ ...decodeJwt(token), ...changes })}.${signature}`;
}

