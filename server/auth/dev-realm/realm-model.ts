import { createHash } from "node:crypto";
import type { RealmClient, RealmExport, RealmRole, RealmUser } from "./realm-file";

/**
 * A loaded realm answering the questions the development realm asks: who may sign in, which roles
 * a user effectively holds (composites expanded the way Keycloak does), which redirect URIs a
 * client accepts.
 */
export interface EffectiveRoles {
  realm: string[];
  /** Client roles by client id; only clients with at least one role appear. */
  clients: Record<string, string[]>;
}

export interface RealmModel {
  name: string;
  settings: RealmExport;
  findUserForLogin(login: string): RealmUser | undefined;
  userById(id: string): RealmUser | undefined;
  serviceAccountOf(clientId: string): RealmUser;
  client(clientId: string): RealmClient | undefined;
  rolesOf(user: RealmUser): EffectiveRoles;
}

export function createRealmModel(settings: RealmExport): RealmModel {
  const people = settings.users.filter((u) => !u.serviceAccountClientId);
  const clients = new Map(settings.clients.map((c) => [c.clientId, c]));
  const realmRoles = new Map(settings.roles.realm.map((r) => [r.name, r]));
  const clientRoles = new Map(
    Object.entries(settings.roles.client).map(([clientId, roles]) => [clientId, new Map(roles.map((r) => [r.name, r]))]),
  );

  function rolesOf(user: RealmUser): EffectiveRoles {
    const realm = new Set<string>();
    const byClient = new Map<string, Set<string>>();
    const seen = new Set<string>();

    const visit = (role: RealmRole | undefined, key: string) => {
      if (!role || seen.has(key)) return;
      seen.add(key);
      for (const name of role.composites?.realm ?? []) addRealm(name);
      for (const [clientId, names] of Object.entries(role.composites?.client ?? {})) {
        for (const name of names) addClient(clientId, name);
      }
    };
    const addRealm = (name: string) => {
      realm.add(name);
      visit(realmRoles.get(name), `realm:${name}`);
    };
    const addClient = (clientId: string, name: string) => {
      const set = byClient.get(clientId) ?? new Set<string>();
      set.add(name);
      byClient.set(clientId, set);
      visit(clientRoles.get(clientId)?.get(name), `client:${clientId}:${name}`);
    };

    for (const name of user.realmRoles) addRealm(name);
    for (const [clientId, names] of Object.entries(user.clientRoles)) {
      for (const name of names) addClient(clientId, name);
    }
    return {
      realm: [...realm],
      clients: Object.fromEntries([...byClient].map(([clientId, names]) => [clientId, [...names]])),
    };
  }

  return {
    name: settings.realm,
    settings,
    findUserForLogin(login) {
      // Keycloak stores usernames in lower case and, when allowed, accepts the e-mail address too.
      const wanted = login.trim().toLowerCase();
      if (!wanted) return undefined;
      return (
        people.find((u) => u.username.toLowerCase() === wanted) ??
        (settings.loginWithEmailAllowed ? people.find((u) => u.email?.toLowerCase() === wanted) : undefined)
      );
    },
    userById: (id) => settings.users.find((u) => u.id === id),
    serviceAccountOf(clientId) {
      const found = settings.users.find((u) => u.serviceAccountClientId === clientId);
      if (found) return found;
      // Keycloak always has a service-account user for such a client; a hand-written file may not.
      const id = createHash("sha256").update(`${settings.realm}/${clientId}`).digest("hex").slice(0, 32);
      return {
        id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
        username: `service-account-${clientId}`,
        enabled: true,
        emailVerified: false,
        serviceAccountClientId: clientId,
        credentials: [],
        realmRoles: [],
        clientRoles: {},
      };
    },
    client: (clientId) => clients.get(clientId),
    rolesOf,
  };
}

/**
 * Keycloak's redirect URI rule: a pattern matches exactly, or, when it ends in `*`, as a prefix.
 * Patterns starting with `/` are relative to the client's root URL. `*` alone matches anything.
 */
export function redirectUriMatches(patterns: readonly string[], uri: string, rootUrl = ""): boolean {
  if (!URL.canParse(uri)) return false;
  const { protocol } = new URL(uri);
  if (protocol !== "http:" && protocol !== "https:") return false;
  return patterns.some((raw) => {
    const pattern = raw.startsWith("/") ? `${rootUrl.replace(/\/+$/, "")}${raw}` : raw;
    if (pattern === "*") return true;
    if (pattern.endsWith("*")) return uri.startsWith(pattern.slice(0, -1));
    return uri === pattern;
  });
}

/** Post-logout redirect patterns: the `##`-separated client attribute, `+` meaning "the redirect URIs". */
export function postLogoutPatterns(client: RealmClient): string[] {
  const raw = client.attributes["post.logout.redirect.uris"];
  if (!raw) return [];
  return raw
    .split("##")
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((p) => (p === "+" ? client.redirectUris : [p]));
}
