import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import pg from "pg";

/** Arbitrary but fixed: the advisory lock every console instance takes to migrate the control plane. */
const MIGRATION_LOCK_KEY = 7_310_442_001;

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "drizzle");

let shipped: Array<{ folderMillis: number }> | undefined;

/** The control-plane migrations this build ships (read once: the files do not change at run time). */
export function shippedMigrations(): ReadonlyArray<{ folderMillis: number }> {
  shipped ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => ({ folderMillis: m.folderMillis }));
  return shipped;
}

/**
 * Brings the control-plane schema up to date. Several instances starting together serialise on a
 * session advisory lock: the first migrates, the others wait, then find nothing left to do.
 * Returns the number of migrations this call applied. A migration that finds something an operator
 * must look at (and cannot decide for them) says so with RAISE WARNING: `onWarning` gets each one.
 */
export async function migrateControlPlane(
  connectionString: string,
  folder: string = MIGRATIONS_FOLDER,
  onWarning: (message: string) => void = () => {},
): Promise<number> {
  const client = new pg.Client({ connectionString, application_name: "infrastructure-console:migrate" });
  client.on("notice", (notice) => {
    if (notice.severity === "WARNING" && notice.message) onWarning(notice.message);
  });
  await client.connect();
  try {
    await client.query("set client_min_messages = warning");
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      const before = await appliedCount(client);
      await migrate(drizzle(client), { migrationsFolder: folder, migrationsSchema: "console", migrationsTable: "__drizzle_migrations" });
      return (await appliedCount(client)) - before;
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function appliedCount(client: pg.Client): Promise<number> {
  const exists = await client.query<{ t: string | null }>(
    "select to_regclass('console.__drizzle_migrations')::text as t",
  );
  if (!exists.rows[0]?.t) return 0;
  const { rows } = await client.query<{ n: number }>("select count(*)::int as n from console.__drizzle_migrations");
  return rows[0]?.n ?? 0;
}
