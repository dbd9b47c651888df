import type { Permission } from "../domain/permissions";

/** Who is calling: a person signed in through the browser, or an automation client with a token. */
export interface Principal {
  /** Keycloak subject (user id, or the service account's id for clients). */
  id: string;
  /** preferred_username; for service accounts Keycloak uses `service-account-<client>`. */
  username: string;
  name?: string;
  email?: string;
  type: "user" | "client";
  /** The OAuth client the token was issued to (azp). */
  clientId?: string;
  permissions: Permission[];
  /** How the caller proved who it is. */
  via: "session" | "bearer";
}

/** The name recorded in audit rows and `executed_by` columns. */
export function actorName(principal: Principal): string {
  return principal.username || principal.id;
}
