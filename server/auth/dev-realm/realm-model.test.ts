import { describe, expect, it } from "vitest";
import { parseRealmExport } from "./realm-file";
import { createRealmModel, postLogoutPatterns, redirectUriMatches } from "./realm-model";

const realm = createRealmModel(
  parseRealmExport({
    realm: "test",
    roles: {
      realm: [
        { name: "ops", composite: true, composites: { realm: ["migrations:execute", "loop"], client: { console: ["approve"] } } },
        { name: "loop", composite: true, composites: { realm: ["ops"] } },
        { name: "migrations:execute" },
      ],
      client: { console: [{ name: "approve", composite: true, composites: { realm: ["migrations:manage"] } }] },
    },
    users: [
      { id: "u1", username: "Olga", email: "Olga@Example.com", realmRoles: ["ops"], clientRoles: { other: ["x"] } },
      { id: "u2", username: "plain", realmRoles: [] },
      { id: "u3", username: "off", enabled: false },
      { id: "s1", username: "service-account-ci", serviceAccountClientId: "ci", realmRoles: ["migrations:execute"] },
    ],
    clients: [{ clientId: "console", redirectUris: ["/cb/*"], rootUrl: "http://localhost:3000", attributes: { "post.logout.redirect.uris": "+##http://localhost:3000/bye" } }],
  }),
);

describe("rolesOf", () => {
  it("expands realm and client composites, through cycles, like Keycloak", () => {
    const roles = realm.rolesOf(realm.userById("u1")!);
    expect(roles.realm.sort()).toEqual(["loop", "migrations:execute", "migrations:manage", "ops"]);
    expect(roles.clients).toEqual({ console: ["approve"], other: ["x"] });
  });

  it("gives a user without mappings no roles", () => {
    expect(realm.rolesOf(realm.userById("u2")!)).toEqual({ realm: [], clients: {} });
  });
});

describe("findUserForLogin", () => {
  it("matches usernames and e-mail case-insensitively, never service accounts", () => {
    expect(realm.findUserForLogin("OLGA")?.id).toBe("u1");
    expect(realm.findUserForLogin("olga@example.com")?.id).toBe("u1");
    expect(realm.findUserForLogin("service-account-ci")).toBeUndefined();
    expect(realm.findUserForLogin("  ")).toBeUndefined();
  });
});

describe("serviceAccountOf", () => {
  it("returns the exported service-account user, or a stable stand-in without roles", () => {
    expect(realm.serviceAccountOf("ci").id).toBe("s1");
    const standIn = realm.serviceAccountOf("unknown");
    expect(standIn.username).toBe("service-account-unknown");
    expect(standIn.realmRoles).toEqual([]);
    expect(realm.serviceAccountOf("unknown").id).toBe(standIn.id);
  });
});

describe("redirectUriMatches", () => {
  it("matches exactly, or by prefix for a trailing wildcard", () => {
    expect(redirectUriMatches(["http://localhost:3000/cb"], "http://localhost:3000/cb")).toBe(true);
    expect(redirectUriMatches(["http://localhost:3000/cb"], "http://localhost:3000/cb/x")).toBe(false);
    expect(redirectUriMatches(["http://localhost:*"], "http://localhost:8123/anything")).toBe(true);
    expect(redirectUriMatches(["http://localhost:*"], "http://localhost.evil.example/")).toBe(false);
  });

  it("resolves relative patterns against the root URL and refuses non-web schemes", () => {
    const client = realm.client("console")!;
    expect(redirectUriMatches(client.redirectUris, "http://localhost:3000/cb/keycloak", client.rootUrl)).toBe(true);
    expect(redirectUriMatches(client.redirectUris, "http://localhost:4000/cb/keycloak", client.rootUrl)).toBe(false);
    expect(redirectUriMatches(["*"], "javascript:alert(1)")).toBe(false);
  });

  it("post-logout patterns expand + to the redirect URIs", () => {
    expect(postLogoutPatterns(realm.client("console")!)).toEqual(["/cb/*", "http://localhost:3000/bye"]);
  });
});
