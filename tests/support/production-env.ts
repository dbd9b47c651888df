/** Every setting production requires, with placeholder values: enough to parse settings as production. */
export const PRODUCTION_ENV: Record<string, string> = {
  ENVIRONMENT: "production",
  DATABASE_URL: "postgres://console@db.internal:5432/admin",
  KEYCLOAK_URL: "https://sso.example.com",
  KEYCLOAK_REALM: "infrastructure",
  KEYCLOAK_CLIENT_ID: "infrastructure-console",
  KEYCLOAK_CLIENT_SECRET: "client-secret",
  APP_ENCRYPTION_KEY: "k".repeat(40),
  AUTH_SECRET: "s".repeat(40),
};
