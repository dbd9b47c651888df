import { clientCredentialsToken, startTestRealm, type TestRealm, userTokens } from "./dev-realm";
import { setEnv } from "./test-env";

export interface Tokens {
  realm: TestRealm;
  /** databases:manage and everything else (service account ci-admin). */
  admin: string;
  /** operator user: databases:manage, migrations:* (not infrastructure:admin). */
  operator: string;
  /** viewer user: databases:read and migrations:read only. */
  viewer: string;
  /** ci-operator client: migrations:read/execute and databases:read, not databases:manage. */
  ciOperator: string;
}

/** Starts the development realm on a free port, points the settings at it and gets real tokens. */
export async function startRealmWithTokens(): Promise<Tokens> {
  const realm = await startTestRealm();
  setEnv({ DEV_REALM_PORT: String(realm.port), KEYCLOAK_URL: "" });
  const [admin, operator, viewer, ciOperator] = await Promise.all([
    clientCredentialsToken(realm, "ci-admin"),
    userTokens(realm, "operator"),
    userTokens(realm, "viewer"),
    clientCredentialsToken(realm, "ci-operator"),
  ]);
  return {
    realm,
    admin: admin.access_token,
    operator: operator.access_token,
    viewer: viewer.access_token,
    ciOperator: ciOperator.access_token,
  };
}
