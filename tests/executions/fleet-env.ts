import { createConnection } from "../../server/databases/service";
import { ZConnectionCreate } from "../../server/databases/schemas";
import { getDb } from "../../server/db/client";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { insertTenants } from "../../server/tenants/repository";
import { createTestDatabase, onDatabase, type TestDatabase } from "../support/database";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { type ControlPlaneEnv, setUpControlPlane } from "../support/test-env";

/**
 * A small real fleet for plan and execution tests: a control plane, an admin database, one shared
 * database per region (tenant schemas live there), optionally an analytics database, all registered
 * through the registry's service, with settings sized for a 2-core machine shared with other suites.
 */

export interface FleetDb {
  db: TestDatabase;
  id: string;
}

export interface FleetTenant {
  id: string;
  slug: string;
  schema: string;
  region: string;
  connectionId: string;
  database: string;
}

export interface Fleet {
  env: ControlPlaneEnv;
  admin: FleetDb;
  shared: Record<string, FleetDb>;
  analytics: FleetDb | null;
  tenants: FleetTenant[];
  addTenants(region: string, slugs: string[], opts?: { createSchema?: boolean }): Promise<FleetTenant[]>;
  register(name: string, db: { name: string; port?: number }, tier: string, region: string | null): Promise<string>;
  close(): Promise<void>;
}

export interface FleetOptions {
  regions?: string[];
  tenantsPerRegion?: number;
  analytics?: boolean;
  catalogDir?: string;
  env?: Record<string, string>;
  prefix?: string;
}

/** Settings every execution test wants: small pools, fast retries and polls, quiet logs. */
export const FAST_ENV: Record<string, string> = {
  DB_POOL_MIN_SIZE: "0",
  DB_POOL_MAX_SIZE: "8",
  FLEET_POOL_MAX_PER_CONNECTION: "4",
  MIGRATION_BATCH_SIZE: "6",
  MIGRATION_DB_CONCURRENCY: "3",
  MIGRATION_RETRY_ATTEMPTS: "3",
  MIGRATION_RETRY_DELAY_MS: "150",
  MIGRATION_POLL_INTERVAL_MS: "100",
  WORKER_HEARTBEAT_INTERVAL_MS: "500",
  WORKER_STALE_AFTER_MS: "3000",
  HEALTH_CHECK_ENABLED: "false",
  CONNECTION_TEST_TIMEOUT: "3",
};

export async function setUpFleet(opts: FleetOptions = {}): Promise<Fleet> {
  const regions = opts.regions ?? ["eu"];
  const prefix = opts.prefix ?? "fx";
  const env = await setUpControlPlane({ ...FAST_ENV, MIGRATIONS_DIR: opts.catalogDir ?? EXAMPLES_DIR, ...opts.env });
  resetCatalogStore();
  const created: TestDatabase[] = [];
  const newDb = async (suffix: string) => {
    const db = await createTestDatabase(`${prefix}_${suffix}`);
    created.push(db);
    return db;
  };

  const register = async (name: string, db: { name: string; port?: number }, tier: string, region: string | null) => {
    const input = ZConnectionCreate.parse({
      name,
      host: env.server.host,
      port: db.port ?? env.server.port,
      database_name: db.name,
      username: env.server.username,
      password: env.server.password,
      ssl_mode: "disable",
      connection_type: tier,
      region,
      skip_test: true,
    });
    return (await createConnection(input, "fixture")).id;
  };

  const adminDb = await newDb("admin");
  const admin = { db: adminDb, id: await register("admin", adminDb, "admin", null) };
  const shared: Record<string, FleetDb> = {};
  for (const region of regions) {
    const db = await newDb(`sh_${region.replaceAll("-", "_")}`);
    shared[region] = { db, id: await register(`shared-${region}`, db, "shared", region) };
  }
  let analytics: FleetDb | null = null;
  if (opts.analytics) {
    const db = await newDb("an");
    analytics = { db, id: await register("analytics", db, "analytics", null) };
  }

  const tenants: FleetTenant[] = [];
  const addTenants = async (region: string, slugs: string[], o: { createSchema?: boolean } = {}) => {
    const host = shared[region]!;
    if (slugs.length === 0) return [];
    const rows = slugs.map((slug) => ({ slug, schema: `tenant_${slug.replaceAll("-", "_")}` }));
    if (o.createSchema !== false) {
      await onDatabase(host.db.url, rows.map((r) => `create schema if not exists "${r.schema}"`).join(";\n"));
    }
    const inserted = await insertTenants(
      getDb(),
      rows.map((r) => ({
        slug: r.slug,
        name: r.slug,
        region,
        connectionId: host.id,
        schemaName: r.schema,
        createdBy: "fixture",
      })),
    );
    const added = inserted.map((t) => ({
      id: t.id,
      slug: t.slug,
      schema: t.schemaName,
      region,
      connectionId: host.id,
      database: host.db.name,
    }));
    tenants.push(...added);
    return added;
  };
  for (const region of regions) {
    const n = opts.tenantsPerRegion ?? 2;
    await addTenants(
      region,
      Array.from({ length: n }, (_, i) => `${region}-t${String(i + 1).padStart(3, "0")}`),
    );
  }

  return {
    env,
    admin,
    shared,
    analytics,
    tenants,
    addTenants,
    register,
    close: async () => {
      await env.close();
      for (const db of created) await db.drop().catch(() => {});
    },
  };
}
