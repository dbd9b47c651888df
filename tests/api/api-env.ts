import { PERMISSIONS, type Permission } from "../../server/domain/permissions";
import type { RealmExport } from "../../server/auth/dev-realm/realm-file";
import { claimsLike, startTestRealm, type TestRealm } from "../support/dev-realm";
import { type ControlPlaneEnv, setEnv, setUpControlPlane } from "../support/test-env";

/**
 * An API test's world: a fresh control-plane database with the settings pointing at it (testing
 * environment, rate limits off unless asked), the development realm on a free port, and tokens
 * signed by the realm's own key carrying exactly the roles a test asks for.
 */
/**
 * The body registering the test server's database `database` (untested: skip_test), migrating a
 * schema named after the registration, so several can be registered on one database.
 */
export function connectionBody(env: ControlPlaneEnv, name: string, database: string) {
  return {
    name,
    schema_name: name.toLowerCase().replace(/[^a-z0-9]/g, "_"),
    host: env.server.host,
    port: env.server.port,
    database_name: database,
    username: env.server.username,
    password: env.server.password,
    connection_type: "analytics" as const,
    skip_test: true,
  };
}

export interface ApiEnv extends ControlPlaneEnv {
  realm: TestRealm;
  /** A genuine realm token whose roles are `roles` (a user unless `client` is set). */
  token(roles: readonly string[], overrides?: Record<string, unknown>): Promise<string>;
  /** A token with exactly this permission. */
  tokenWith(permission: Permission): Promise<string>;
  /** A token with every permission except this one (and never infrastructure:admin, which implies all). */
  tokenWithout(permission: Permission): Promise<string>;
}

export async function setUpApi(extraEnv: Record<string, string> = {}, options: { realm?: RealmExport } = {}): Promise<ApiEnv> {
  const env = await setUpControlPlane(extraEnv);
  const realm = await startTestRealm(options.realm ? { realm: options.realm } : {});
  setEnv({ DEV_REALM_PORT: String(realm.port), KEYCLOAK_URL: "" });
  let n = 0;
  const token = (roles: readonly string[], overrides: Record<string, unknown> = {}) =>
    realm.sign(
      claimsLike(realm, {
        sub: `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
        preferred_username: `api-test-${n}`,
        realm_access: { roles: [...roles] },
        ...overrides,
      }),
    );
  return {
    ...env,
    realm,
    token,
    tokenWith: (permission) => token([permission]),
    tokenWithout: (permission) => token(PERMISSIONS.filter((p) => p !== permission && p !== "infrastructure:admin")),
    close: async () => {
      await realm.stop();
      await env.close();
    },
  };
}
