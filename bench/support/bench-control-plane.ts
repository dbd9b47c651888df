import { randomBytes } from "node:crypto";

/**
 * What the fleet benchmarks share: a control plane of their own on the benchmark server, the
 * console's settings pointed at it, and registering the server's databases as fleet connections
 * through the console's real registry service.
 */

/** `adminUrl` with its database replaced. */
export const databaseUrl = (adminUrl: string, database: string) =>
  Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();

/**
 * Points the console's settings at `controlPlaneDatabase` (already created) and migrates it.
 * Console modules must be imported after this: settings are read on first use.
 */
export async function prepareControlPlane(adminUrl: string, controlPlaneDatabase: string, catalogDir: string) {
  Object.assign(process.env, {
    ENVIRONMENT: "testing",
    DATABASE_URL: databaseUrl(adminUrl, controlPlaneDatabase),
    APP_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
    MIGRATIONS_DIR: catalogDir,
    HEALTH_CHECK_ENABLED: "false",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  const { migrateControlPlane } = await import("../../server/db/migrate");
  await migrateControlPlane(databaseUrl(adminUrl, controlPlaneDatabase));
}

/** Registers a database of the benchmark server as a fleet connection; returns its id. */
export async function registerDatabase(
  adminUrl: string,
  name: string,
  database: string,
  tier: "admin" | "shared" | "analytics" | "tenant",
  region: string | null,
): Promise<string> {
  const { createConnection } = await import("../../server/databases/service");
  const { ZConnectionCreate } = await import("../../server/databases/schemas");
  const url = new URL(adminUrl);
  const created = await createConnection(
    ZConnectionCreate.parse({
      name,
      host: url.hostname,
      port: Number(url.port || 5432),
      database_name: database,
      username: decodeURIComponent(url.username || "postgres"),
      password: url.password ? decodeURIComponent(url.password) : null,
      ssl_mode: "disable",
      connection_type: tier,
      region,
      skip_test: true,
    }),
    "bench",
  );
  return created.id;
}
