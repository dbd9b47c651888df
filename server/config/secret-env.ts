/**
 * The environment variables that hold the console's secrets. Child processes that are not the
 * console (the embedded PostgreSQL, `next build`) never get them: a build has no use for them, and
 * a database server's environment is readable by its superusers.
 */
export const SECRET_ENV_KEYS = [
  "APP_ENCRYPTION_KEY",
  "APP_ENCRYPTION_KEYS_PREVIOUS",
  "AUTH_SECRET",
  "KEYCLOAK_CLIENT_SECRET",
  "METRICS_TOKEN",
  "DATABASE_URL",
  "ADMIN_DATABASE_URL",
  "TEST_DATABASE_URL",
  "PGPASSWORD",
] as const;

/** A copy of `env` without the console's secrets. */
export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of SECRET_ENV_KEYS) delete copy[key];
  return copy;
}
