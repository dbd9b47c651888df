import { type Permission, permissionsFromRoles } from "../domain/permissions";
import type { Principal } from "./principal";

/**
 * Reading a verified Keycloak access token: who it names and which of the console's permissions its
 * roles grant. Keycloak puts realm roles in `realm_access.roles` and client roles in
 * `resource_access.<client>.roles`; only the console's own client roles count, so a role another
 * application defines under the same name grants nothing here.
 */
export type TokenClaims = Record<string, unknown>;

const SERVICE_ACCOUNT_PREFIX = "service-account-";

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Realm roles plus the console client's roles. */
export function rolesFromClaims(claims: TokenClaims, consoleClientId: string): string[] {
  const realm = stringArray(record(claims.realm_access)?.roles);
  const client = stringArray(record(record(claims.resource_access)?.[consoleClientId])?.roles);
  return [...new Set([...realm, ...client])];
}

export function permissionsFromClaims(claims: TokenClaims, consoleClientId: string): Permission[] {
  return permissionsFromRoles(rolesFromClaims(claims, consoleClientId));
}

/**
 * A service account's token (client credentials): Keycloak names its user `service-account-<client>`;
 * without that name, a token with no user session that identifies its client counts too.
 */
export function isServiceAccount(claims: TokenClaims): boolean {
  const username = text(claims.preferred_username);
  if (username?.startsWith(SERVICE_ACCOUNT_PREFIX)) return true;
  const hasSession = text(claims.sid) !== undefined || text(claims.session_state) !== undefined;
  const namesClient = text(claims.client_id) !== undefined || text(claims.clientId) !== undefined;
  return !hasSession && namesClient;
}

/** The audiences a token is for (`aud` may be a string or a list). */
export function audiencesOf(claims: TokenClaims): string[] {
  return typeof claims.aud === "string" ? [claims.aud] : stringArray(claims.aud);
}

export function principalFromClaims(
  claims: TokenClaims,
  options: { consoleClientId: string; via: Principal["via"] },
): Principal {
  const id = text(claims.sub);
  if (!id) throw new TypeError("token has no subject");
  const clientId = text(claims.azp) ?? text(claims.client_id) ?? text(claims.clientId);
  const name = text(claims.name);
  const email = text(claims.email);
  return {
    id,
    username: text(claims.preferred_username) ?? id,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    type: isServiceAccount(claims) ? "client" : "user",
    ...(clientId ? { clientId } : {}),
    permissions: permissionsFromClaims(claims, options.consoleClientId),
    via: options.via,
  };
}
