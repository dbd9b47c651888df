import type { RealmClient, RealmUser } from "./realm-file";
import type { RealmModel } from "./realm-model";

/**
 * The claims of a Keycloak access token with the default client scopes (profile, email, roles,
 * web-origins, acr) and the client's protocol mappers the development realm understands:
 * `oidc-audience-mapper` and `oidc-usersessionmodel-note-mapper` (clientId, clientHost,
 * clientAddress on service-account tokens, as Keycloak 24 exports them).
 */
export interface AccessTokenInput {
  realm: RealmModel;
  user: RealmUser;
  client: RealmClient;
  /** Scopes granted to the token (oidc-provider's view); Keycloak always adds its default ones. */
  scope?: string;
  /** The user session id; absent for client-credentials tokens, which have no user session. */
  sid?: string;
  /** Address of the caller, for the service-account session notes. */
  clientAddress?: string;
}

const DEFAULT_SCOPES = ["profile", "email"];

export function accessTokenClaims(input: AccessTokenInput): Record<string, unknown> {
  const { realm, user, client, sid } = input;
  const roles = realm.rolesOf(user);
  const serviceAccount = user.serviceAccountClientId !== undefined;

  const resourceAccess = Object.fromEntries(
    Object.entries(roles.clients).map(([clientId, names]) => [clientId, { roles: names }]),
  );

  // Keycloak's "audience resolve" mapper adds every client the token carries roles for, except the
  // client the token was issued to; audience mappers add their configured client.
  const audience = new Set(Object.keys(resourceAccess).filter((id) => id !== client.clientId));
  const notes: Record<string, string> = serviceAccount
    ? { clientId: client.clientId, clientHost: input.clientAddress ?? "", clientAddress: input.clientAddress ?? "" }
    : {};
  const fromMappers: Record<string, string> = {};
  for (const mapper of client.protocolMappers) {
    if (mapper.config["access.token.claim"] === "false") continue;
    if (mapper.protocolMapper === "oidc-audience-mapper") {
      const included = mapper.config["included.client.audience"] ?? mapper.config["included.custom.audience"];
      if (included) audience.add(included);
    } else if (mapper.protocolMapper === "oidc-usersessionmodel-note-mapper") {
      const note = mapper.config["user.session.note"];
      const claim = mapper.config["claim.name"];
      if (note && claim && notes[note] !== undefined) fromMappers[claim] = notes[note];
    }
  }
  // A JWT access token needs an audience; Keycloak would omit `aud` here, the client id is the
  // closest honest value (and `azp` carries it anyway).
  if (audience.size === 0) audience.add(client.clientId);

  const scopes = new Set([...(input.scope?.split(" ").filter(Boolean) ?? []), ...DEFAULT_SCOPES]);
  if (serviceAccount) scopes.delete("openid");

  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return {
    aud: audience.size === 1 ? [...audience][0] : [...audience],
    sub: user.id,
    typ: "Bearer",
    azp: client.clientId,
    ...(sid ? { sid } : {}),
    acr: "1",
    realm_access: { roles: roles.realm },
    ...(Object.keys(resourceAccess).length > 0 ? { resource_access: resourceAccess } : {}),
    scope: [...scopes].join(" "),
    email_verified: user.emailVerified,
    ...fromMappers,
    ...(name ? { name } : {}),
    preferred_username: user.username.toLowerCase(),
    ...(user.firstName ? { given_name: user.firstName } : {}),
    ...(user.lastName ? { family_name: user.lastName } : {}),
    ...(user.email ? { email: user.email.toLowerCase() } : {}),
  };
}

/** The claims of the user's ID token and userinfo response (profile and email scopes). */
export function profileClaims(user: RealmUser): Record<string, unknown> {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return {
    sub: user.id,
    email_verified: user.emailVerified,
    ...(name ? { name } : {}),
    preferred_username: user.username.toLowerCase(),
    ...(user.firstName ? { given_name: user.firstName } : {}),
    ...(user.lastName ? { family_name: user.lastName } : {}),
    ...(user.email ? { email: user.email.toLowerCase() } : {}),
  };
}
