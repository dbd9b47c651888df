import { describe, expect, it } from "vitest";
import { audiencesOf, isServiceAccount, permissionsFromClaims, principalFromClaims, rolesFromClaims } from "./keycloak-claims";

const CONSOLE = "infrastructure-console";

describe("permissions from a Keycloak token", () => {
  it("combine realm roles and the console client's roles, ignoring unknown roles", () => {
    const claims = {
      realm_access: { roles: ["migrations:read", "offline_access", "default-roles-infrastructure"] },
      resource_access: { [CONSOLE]: { roles: ["databases:manage"] }, account: { roles: ["manage-account"] } },
    };
    expect(permissionsFromClaims(claims, CONSOLE)).toEqual(["migrations:read", "databases:manage"]);
  });

  it("do not count another client's roles even when named like a permission", () => {
    const claims = { resource_access: { "some-other-app": { roles: ["infrastructure:admin"] } } };
    expect(permissionsFromClaims(claims, CONSOLE)).toEqual([]);
  });

  it("survive malformed role claims", () => {
    expect(rolesFromClaims({ realm_access: "admin", resource_access: [] }, CONSOLE)).toEqual([]);
    expect(rolesFromClaims({ realm_access: { roles: ["migrations:read", 7, null] } }, CONSOLE)).toEqual(["migrations:read"]);
  });
});

describe("service accounts", () => {
  it("are recognised by Keycloak's service-account user name", () => {
    expect(isServiceAccount({ preferred_username: "service-account-ci-readonly", sid: "x" })).toBe(true);
  });

  it("or by a client id claim on a token without a user session", () => {
    expect(isServiceAccount({ preferred_username: "robot", client_id: "ci" })).toBe(true);
    expect(isServiceAccount({ preferred_username: "robot", clientId: "ci" })).toBe(true);
    expect(isServiceAccount({ preferred_username: "viewer", client_id: "ci", sid: "abc" })).toBe(false);
    expect(isServiceAccount({ preferred_username: "viewer", sid: "abc" })).toBe(false);
  });
});

describe("principalFromClaims", () => {
  it("describes the caller", () => {
    const principal = principalFromClaims(
      {
        sub: "42",
        preferred_username: "viewer",
        name: "Vera Viewer",
        email: "viewer@example.com",
        azp: CONSOLE,
        sid: "s",
        realm_access: { roles: ["migrations:read"] },
      },
      { consoleClientId: CONSOLE, via: "bearer" },
    );
    expect(principal).toEqual({
      id: "42",
      username: "viewer",
      name: "Vera Viewer",
      email: "viewer@example.com",
      type: "user",
      clientId: CONSOLE,
      permissions: ["migrations:read"],
      via: "bearer",
    });
  });

  it("requires a subject", () => {
    expect(() => principalFromClaims({ preferred_username: "x" }, { consoleClientId: CONSOLE, via: "bearer" })).toThrow();
  });

  it("reads aud as a string or a list", () => {
    expect(audiencesOf({ aud: "a" })).toEqual(["a"]);
    expect(audiencesOf({ aud: ["a", "b"] })).toEqual(["a", "b"]);
    expect(audiencesOf({})).toEqual([]);
  });
});
