import type { IncomingMessage, ServerResponse } from "node:http";
import { type JWTVerifyGetKey, compactVerify, decodeJwt } from "jose";
import type Provider from "oidc-provider";
import type { MemoryStore } from "./memory-store";
import type { RealmModel } from "./realm-model";
import { postLogoutPatterns, redirectUriMatches } from "./realm-model";
import { clientCredentials, redirect, secretsEqual, sendHtml, sendJson } from "./http-helpers";
import { loggedOutPage } from "./pages";

/**
 * The two logouts Keycloak serves without a browser session, which oidc-provider does not:
 * - POST with `refresh_token` and client authentication (back-channel logout, 204);
 * - GET with only an `id_token_hint` and no session cookie (a server ending its user's session).
 * Both end the whole user session: every grant, token and refresh token of it.
 */
export interface LogoutContext {
  realm: RealmModel;
  provider: Provider;
  store: MemoryStore;
  issuer: string;
  keys: JWTVerifyGetKey;
}

async function endSession(context: LogoutContext, uid: string | undefined, extraGrantId?: string) {
  const { provider, store } = context;
  const grantIds = new Set<string>(extraGrantId ? [extraGrantId] : []);
  const session = uid ? await provider.Session.findByUid(uid) : undefined;
  for (const authorization of Object.values(session?.authorizations ?? {})) {
    if (authorization.grantId) grantIds.add(authorization.grantId);
  }
  for (const grantId of grantIds) {
    // The store is shared by every model, so one call drops codes, access and refresh tokens.
    await store.adapter("Grant").revokeByGrantId(grantId);
    await (await provider.Grant.find(grantId))?.destroy();
  }
  await session?.destroy();
}

export async function backchannelLogout(
  context: LogoutContext,
  req: IncomingMessage,
  res: ServerResponse,
  form: URLSearchParams,
) {
  const credentials = clientCredentials(req, form);
  const client = credentials ? context.realm.client(credentials.clientId) : undefined;
  const authenticated =
    client !== undefined &&
    client.enabled &&
    (client.publicClient || secretsEqual(client.secret, credentials?.secret));
  if (!authenticated) {
    sendJson(res, 401, { error: "unauthorized_client", error_description: "Invalid client or Invalid client credentials" });
    return;
  }
  const refreshToken = await context.provider.RefreshToken.find(form.get("refresh_token") ?? "");
  if (!refreshToken || refreshToken.clientId !== client.clientId) {
    sendJson(res, 400, { error: "invalid_grant", error_description: "Invalid refresh token" });
    return;
  }
  await endSession(context, refreshToken.sessionUid, refreshToken.grantId);
  res.writeHead(204, { "cache-control": "no-store" });
  res.end();
}

/** Returns false when the request is not this kind of logout and oidc-provider should answer it. */
export async function idTokenHintLogout(context: LogoutContext, res: ServerResponse, params: URLSearchParams) {
  const hint = params.get("id_token_hint");
  if (!hint) return false;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    // Keycloak accepts an expired ID token as a hint; only its signature and issuer matter.
    await compactVerify(hint, context.keys);
    claims = decodeJwt(hint);
  } catch {
    sendJson(res, 400, { error: "invalid_request", error_description: "Invalid parameter: id_token_hint" });
    return true;
  }
  const clientId = typeof claims.aud === "string" ? claims.aud : claims.aud?.[0];
  const client = clientId ? context.realm.client(clientId) : undefined;
  if (claims.iss !== context.issuer || !client) {
    sendJson(res, 400, { error: "invalid_request", error_description: "Invalid parameter: id_token_hint" });
    return true;
  }
  const postLogout = params.get("post_logout_redirect_uri");
  if (postLogout && !redirectUriMatches(postLogoutPatterns(client), postLogout, client.rootUrl)) {
    sendJson(res, 400, { error: "invalid_request", error_description: "Invalid redirect uri" });
    return true;
  }
  const sid = typeof claims.sid === "string" ? claims.sid : undefined;
  const session = sid ? context.store.sessionFor(client.clientId, sid) : undefined;
  if (typeof session?.uid === "string") await endSession(context, session.uid);
  if (postLogout) {
    const target = new URL(postLogout);
    const state = params.get("state");
    if (state) target.searchParams.set("state", state);
    redirect(res, target.href);
  } else {
    sendHtml(res, 200, loggedOutPage());
  }
  return true;
}
