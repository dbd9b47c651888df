import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Catalog } from "../../server/migrations/engine/types";

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

/** One session on a database of the benchmark server, closed after `work`. */
export async function withDatabase<T>(adminUrl: string, database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(adminUrl, database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Brings the providers up to date through the engine (the admin database and each region's shared
 * database), so the tenants' requirements on them are met.
 */
export async function migrateProviders(
  adminUrl: string,
  catalog: Catalog,
  adminDatabase: string,
  shared: readonly { name: string; region: string }[],
): Promise<void> {
  const { executeTarget } = await import("../../server/migrations/engine/execute-target");
  const { withNewClient } = await import("../../server/migrations/engine/target-run");
  const providers: [string, "admin" | "shared", string | null][] = [
    [adminDatabase, "admin", null],
    ...shared.map((f): [string, "shared", string] => [f.name, "shared", f.region]),
  ];
  for (const [database, tier, region] of providers) {
    const r = await executeTarget({
      catalog,
      target: { connectionId: database, connectionName: database, databaseName: database, schemaName: "public", tier, region },
      withClient: withNewClient({ connectionString: databaseUrl(adminUrl, database) }),
    });
    if (r.status !== "succeeded") throw new Error(`preparing ${database}: ${r.error?.message}`);
  }
}

/** Runs a bench's `main`, then `cleanup` (its databases dropped), also after a failure, which exits 1. */
export function runBench(main: () => Promise<void>, cleanup: () => Promise<unknown> | undefined): void {
  main()
    .then(cleanup)
    .catch(async (error: unknown) => {
      console.error(error);
      await cleanup();
      process.exit(1);
    });
}
