import Provider, { errors, type Client, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { JWK } from "jose";
import type { RealmClient } from "./realm-file";
import { type RealmModel, postLogoutPatterns, redirectUriMatches } from "./realm-model";
import type { MemoryStore } from "./memory-store";
import { errorPage, loggedOutPage, logoutPage } from "./pages";
import { accessTokenClaims, profileClaims } from "./token-claims";

/**
 * oidc-provider configured to behave like a Keycloak realm: Keycloak's endpoint paths, JWT access
 * tokens with Keycloak's claims, no consent screen, refresh tokens on the code flow without
 * offline_access, client credentials for service-account clients, RP-initiated logout.
 */

export const KEYCLOAK_ROUTES = {
  authorization: "/protocol/openid-connect/auth",
  token: "/protocol/openid-connect/token",
  jwks: "/protocol/openid-connect/certs",
  userinfo: "/protocol/openid-connect/userinfo",
  end_session: "/protocol/openid-connect/logout",
  revocation: "/protocol/openid-connect/revoke",
  pushed_authorization_request: "/protocol/openid-connect/ext/par/request",
} as const;

/** Where the login form lives, under the realm's path (Keycloak's login-actions). */
export const LOGIN_PATH = "/login-actions/authenticate";

export interface RealmProviderOptions {
  realm: RealmModel;
  issuer: string;
  /** Private signing keys (JWK with kid, alg, use); the first signs. */
  keys: JWK[];
  store: MemoryStore;
  cookieKeys: string[];
  accessTokenTtlSeconds: number;
}

interface JwtCustomization {
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
}

interface TokenLike {
  kind: string;
  clientId: string;
  accountId?: string;
  scope?: string;
  sid?: string;
}

/** oidc-provider needs registered redirect URIs; matching is done with Keycloak's patterns instead. */
const PLACEHOLDER_REDIRECT = "http://localhost/";

function clientMetadata(client: RealmClient): Record<string, unknown> | undefined {
  if (!client.enabled || client.bearerOnly) return undefined;
  if (!client.publicClient && !client.secret) return undefined;
  const refresh = client.attributes["use.refresh.tokens"] !== "false";
  const grantTypes = [
    ...(client.standardFlowEnabled ? ["authorization_code", ...(refresh ? ["refresh_token"] : [])] : []),
    ...(client.serviceAccountsEnabled && !client.publicClient ? ["client_credentials"] : []),
  ];
  if (grantTypes.length === 0) return undefined;
  return {
    client_id: client.clientId,
    ...(client.publicClient ? { token_endpoint_auth_method: "none" } : { client_secret: client.secret }),
    grant_types: grantTypes,
    response_types: client.standardFlowEnabled ? ["code"] : [],
    redirect_uris: client.standardFlowEnabled ? [PLACEHOLDER_REDIRECT] : [],
  };
}

export function createRealmProvider(options: RealmProviderOptions): Provider {
  const { realm, issuer, keys, store, cookieKeys, accessTokenTtlSeconds } = options;
  const settings = realm.settings;
  const resource = `urn:keycloak:realm:${realm.name}`;
  const realmPath = new URL(issuer).pathname.replace(/\/+$/, "");

  const shapeAccessToken = async (ctx: KoaContextWithOIDC | undefined, token: TokenLike, jwt: JwtCustomization) => {
    const client = realm.client(token.clientId);
    if (!client) throw new Error("access token for a client the realm does not know");
    const serviceAccount = token.kind === "ClientCredentials";
    const user = serviceAccount ? realm.serviceAccountOf(client.clientId) : realm.userById(token.accountId ?? "");
    if (!user) throw new Error("access token for a user the realm does not know");
    const { exp, iat, jti, iss } = jwt.payload;
    jwt.header = { typ: "JWT" };
    jwt.payload = {
      exp,
      iat,
      jti,
      iss,
      ...accessTokenClaims({ realm, user, client, scope: token.scope, sid: token.sid, clientAddress: ctx?.ip }),
    };
  };

  const configuration: Configuration = {
    adapter: store.adapter,
    clients: settings.clients.map(clientMetadata).filter((c) => c !== undefined),
    jwks: { keys },
    cookies: {
      keys: cookieKeys,
      names: { session: "KEYCLOAK_SESSION", interaction: "KC_INTERACTION", resume: "KC_INTERACTION_RESUME" },
      // Browsers share localhost cookies across ports: keep each realm's cookies under its path.
      long: { httpOnly: true, sameSite: "lax", path: `${realmPath}/` },
      short: { httpOnly: true, sameSite: "lax", path: `${realmPath}/` },
    },
    routes: KEYCLOAK_ROUTES,
    scopes: ["openid", "offline_access", "profile", "email"],
    claims: {
      // `typ` marks ID tokens as Keycloak does, so they cannot pass for access tokens.
      openid: ["sub", "typ"],
      profile: ["name", "given_name", "family_name", "preferred_username"],
      email: ["email", "email_verified"],
    },
    // Keycloak puts profile claims in the ID token as well; Auth.js reads the profile from it.
    conformIdTokenClaims: false,
    allowOmittingSingleRegisteredRedirectUri: false,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      // Off: JWT access tokens are not stored, so introspection would call valid tokens inactive.
      introspection: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContextWithOIDC, form: string) {
          ctx.type = "html";
          ctx.body = logoutPage(form, ctx.oidc.entities.IdTokenHint !== undefined);
        },
        async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.type = "html";
          ctx.body = loggedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        // oidc-provider issues JWT access tokens only for a resource server; every token of this
        // realm is for the realm's one implicit resource, as Keycloak's are.
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx: KoaContextWithOIDC, indicator: string, client: Client) {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: "openid profile email offline_access",
            audience: client.clientId,
            accessTokenFormat: "jwt",
            accessTokenTTL: accessTokenTtlSeconds,
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    formats: { customizers: { jwt: shapeAccessToken } },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${realmPath}${LOGIN_PATH}/${interaction.uid}`,
    },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      const client = oidc.client;
      if (!accountId || !client) return undefined;
      const { Grant } = oidc.provider;
      const existingId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
      const grant = (existingId ? await Grant.find(existingId) : undefined) ?? new Grant({ accountId, clientId: client.clientId });
      // Keycloak clients do not ask for consent by default: grant what the client requests.
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(" "));
      for (const [indicator, server] of Object.entries(oidc.resourceServers)) {
        const allowed = new Set(server.scope?.split(" "));
        const scopes = [...oidc.requestParamScopes].filter((s) => allowed.has(s));
        if (scopes.length > 0) grant.addResourceScope(indicator, scopes.join(" "));
      }
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const user = realm.userById(sub);
      if (!user || !user.enabled || user.serviceAccountClientId) return undefined;
      return { accountId: sub, claims: () => ({ ...profileClaims(user), typ: "ID" }) };
    },
    // Keycloak issues refresh tokens on the code flow without offline_access.
    issueRefreshToken: (_ctx: KoaContextWithOIDC, client: Client) => client.grantTypeAllowed("refresh_token"),
    // Keycloak keeps an old refresh token usable unless revokeRefreshToken is on; rotating here
    // would make two concurrent refreshes of one session revoke it.
    rotateRefreshToken: () => settings.revokeRefreshToken,
    pkce: {
      required(_ctx: KoaContextWithOIDC, client: Client) {
        const found = realm.client(client.clientId);
        return !found || found.publicClient || found.attributes["pkce.code.challenge.method"] === "S256";
      },
    },
    clientBasedCORS(_ctx: KoaContextWithOIDC, origin: string, client: Client) {
      const found = realm.client(client.clientId);
      return found !== undefined && redirectUriMatches(found.redirectUris, `${origin}/`, found.rootUrl);
    },
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      IdToken: accessTokenTtlSeconds,
      AuthorizationCode: settings.accessCodeLifespan,
      Interaction: settings.accessCodeLifespanLogin,
      // Refresh tokens live as long as the SSO session (they are not rotated, see above).
      RefreshToken: settings.ssoSessionMaxLifespan,
      Session: settings.ssoSessionMaxLifespan,
      Grant: settings.ssoSessionMaxLifespan,
    },
    async renderError(ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) {
      ctx.type = "html";
      ctx.body = errorPage(out.error_description ?? out.error ?? "The request could not be completed.");
    },
  };

  const provider = new Provider(issuer, configuration);

  // Keycloak matches redirect URIs against patterns with a trailing wildcard; oidc-provider only
  // knows exact URIs, so its checks defer to the realm's client settings.
  const base = provider.Client.prototype;
  base.redirectUriAllowed = function redirectUriAllowed(this: Client, value: string) {
    const found = realm.client(this.clientId);
    return found !== undefined && redirectUriMatches(found.redirectUris, value, found.rootUrl);
  };
  base.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(this: Client, value: string) {
    const found = realm.client(this.clientId);
    return found !== undefined && redirectUriMatches(postLogoutPatterns(found), value, found.rootUrl);
  };
  // Keycloak puts the session id (`sid`) in every token of a user session; logout finds it by that.
  base.includeSid = () => true;

  return provider;
}
