import type { IncomingMessage, ServerResponse } from "node:http";
import { type JWTVerifyGetKey, jwtVerify } from "jose";
import type { MemoryStore } from "./memory-store";
import type { RealmModel } from "./realm-model";
import { bearerToken, sendJson } from "./http-helpers";
import { profileClaims } from "./token-claims";

/**
 * Keycloak's userinfo endpoint accepts the realm's own access tokens. oidc-provider refuses JWT
 * access tokens minted for a resource server there, so the realm answers it itself: the token must
 * verify against the realm's keys and its user session must still exist (not ended by a logout).
 */
export interface UserinfoContext {
  realm: RealmModel;
  store: MemoryStore;
  issuer: string;
  keys: JWTVerifyGetKey;
}

export async function userinfo(context: UserinfoContext, req: IncomingMessage, res: ServerResponse) {
  const refuse = () =>
    sendJson(
      res,
      401,
      { error: "invalid_token", error_description: "Token verification failed" },
      { "www-authenticate": `Bearer realm="${context.realm.name}", error="invalid_token"` },
    );
  const token = bearerToken(req);
  if (!token) return refuse();
  try {
    const { payload } = await jwtVerify(token, context.keys, { issuer: context.issuer, algorithms: ["RS256"] });
    if (payload.typ !== "Bearer" || typeof payload.jti !== "string") return refuse();
    // JWT access tokens are not stored; a user's token is live while its session is.
    const sid = typeof payload.sid === "string" ? payload.sid : undefined;
    const azp = typeof payload.azp === "string" ? payload.azp : "";
    const live = sid === undefined || context.store.sessionFor(azp, sid) !== undefined;
    const user = typeof payload.sub === "string" ? context.realm.userById(payload.sub) : undefined;
    if (!live || !user || !user.enabled) return refuse();
    sendJson(res, 200, profileClaims(user));
  } catch {
    refuse();
  }
}
