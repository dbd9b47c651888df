import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "../../domain/permissions";
import { verifyPassword } from "./passwords";
import { RealmFileError, loadRealmFile, parseRealmExport } from "./realm-file";
import { createRealmModel, postLogoutPatterns, redirectUriMatches } from "./realm-model";

// deploy/keycloak/realm.json is what operators import into Keycloak and what the development realm
// serves: these tests pin the promises the console and its documentation make about it.
const realm = loadRealmFile();
const model = createRealmModel(realm);

const permissionsOf = (username: string) =>
  model.rolesOf(realm.users.find((u) => u.username === username)!).realm.filter((r) => (PERMISSIONS as readonly string[]).includes(r)).sort();

describe("the shipped realm file", () => {
  it("is realm infrastructure with one realm role per permission", () => {
    expect(realm.realm).toBe("infrastructure");
    const names = realm.roles.realm.map((r) => r.name);
    for (const permission of PERMISSIONS) expect(names).toContain(permission);
  });

  it("gives the development users increasing permissions", () => {
    expect(permissionsOf("viewer")).toEqual(["databases:read", "migrations:read"]);
    expect(permissionsOf("operator")).toEqual([
      "databases:manage",
      "databases:read",
      "migrations:execute",
      "migrations:manage",
      "migrations:read",
    ]);
    expect(permissionsOf("approver")).toEqual(["databases:read", "migrations:manage", "migrations:read"]);
    expect(permissionsOf("admin")).toEqual(["infrastructure:admin"]);
  });

  it("stores hashed development passwords equal to the user names, as Keycloak exports them", async () => {
    for (const username of ["viewer", "operator", "approver", "admin"]) {
      const user = model.findUserForLogin(username)!;
      expect(user.credentials[0]?.secretData).toBeDefined();
      expect(user.credentials[0]?.value).toBeUndefined();
      expect(await verifyPassword(user.credentials, username)).toBe(true);
      expect(await verifyPassword(user.credentials, `${username}x`)).toBe(false);
    }
  });

  it("has the console's confidential client with PKCE S256 and localhost redirects", () => {
    const client = model.client("infrastructure-console")!;
    expect(client.publicClient).toBe(false);
    expect(client.secret).toBeTruthy();
    expect(client.standardFlowEnabled).toBe(true);
    expect(client.serviceAccountsEnabled).toBe(false);
    expect(client.attributes["pkce.code.challenge.method"]).toBe("S256");
    expect(redirectUriMatches(client.redirectUris, "http://localhost:3000/api/auth/callback/keycloak")).toBe(true);
    expect(redirectUriMatches(client.redirectUris, "http://localhost:41234/api/auth/callback/keycloak")).toBe(true);
    expect(redirectUriMatches(client.redirectUris, "http://evil.example/api/auth/callback/keycloak")).toBe(false);
    expect(redirectUriMatches(postLogoutPatterns(client), "http://localhost:3000/signin")).toBe(true);
  });

  it("has automation clients whose service-account users carry their roles", () => {
    const expected: Record<string, string[]> = {
      "ci-readonly": ["databases:read", "migrations:read"],
      "ci-operator": ["databases:read", "migrations:execute", "migrations:read"],
      "ci-admin": ["infrastructure:admin"],
    };
    for (const [clientId, permissions] of Object.entries(expected)) {
      const client = model.client(clientId)!;
      expect(client.serviceAccountsEnabled).toBe(true);
      expect(client.standardFlowEnabled).toBe(false);
      expect(client.publicClient).toBe(false);
      expect(client.secret).toBeTruthy();
      const account = realm.users.find((u) => u.serviceAccountClientId === clientId)!;
      expect(account.username).toBe(`service-account-${clientId}`);
      expect(account.credentials).toEqual([]);
      expect(permissionsOf(account.username)).toEqual(permissions);
    }
  });

  it("service accounts cannot sign in through the login form", () => {
    expect(model.findUserForLogin("service-account-ci-admin")).toBeUndefined();
  });
});

describe("parseRealmExport", () => {
  it("names the field that makes a file unusable", () => {
    expect(() => parseRealmExport({ realm: "x", users: [{ username: "u" }] }, "bad.json")).toThrow(RealmFileError);
    expect(() => parseRealmExport({ realm: "x", users: [{ username: "u" }] }, "bad.json")).toThrow(/users\.0\.id/);
  });

  it("keeps fields it does not read, so nothing is lost for Keycloak", () => {
    const parsed = parseRealmExport({ realm: "x", smtpServer: { host: "mail" } });
    expect((parsed as Record<string, unknown>).smtpServer).toEqual({ host: "mail" });
  });

  it("fails clearly on a missing file", () => {
    expect(() => loadRealmFile("/nonexistent/realm.json")).toThrow(/cannot read the realm file/);
  });
});
