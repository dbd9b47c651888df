import "server-only";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { getSettings } from "../config/settings";
import { getPool } from "../db/client";
import { MIGRATIONS_FOLDER } from "../db/migrate";
import { withTimeout } from "./timeout";

/** Health probes answer within this, even when the database hangs. */
export const CONTROL_PLANE_TIMEOUT_MS = 3_000;

export interface SchemaState {
  /** Migrations recorded in the control plane. */
  applied: number;
  /** Migration files this build ships. */
  expected: number;
  /** Files newer than the last applied migration: what drizzle's migrator would still run. */
  pending: number;
}

let shipped: Array<{ folderMillis: number }> | undefined;

/** The control-plane migrations this build ships (read once: the files do not change at run time). */
function shippedMigrations() {
  shipped ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => ({ folderMillis: m.folderMillis }));
  return shipped;
}

/**
 * Whether the control-plane schema is what this build expects. Throws when the database cannot be
 * reached (or does not answer in time). Mirrors the migrator's own rule: a file is pending when it is
 * newer than the newest applied migration.
 */
export async function controlPlaneSchemaState(): Promise<SchemaState> {
  const { rows } = await withTimeout(
    getPool().query<{ applied: number; newest: string | null }>(
      "select count(*)::int as applied, max(created_at)::text as newest from console.__drizzle_migrations",
    ).catch((error: { code?: string }) => {
      // No migrations table yet: reachable, nothing applied.
      if (error.code === "42P01") return { rows: [{ applied: 0, newest: null }] };
      throw error;
    }),
    CONTROL_PLANE_TIMEOUT_MS,
    "the control-plane database",
  );
  const applied = rows[0]?.applied ?? 0;
  const newest = rows[0]?.newest === null || rows[0]?.newest === undefined ? -Infinity : Number(rows[0].newest);
  const files = shippedMigrations();
  return { applied, expected: files.length, pending: files.filter((m) => m.folderMillis > newest).length };
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Sessions of this process's control-plane pool, or null before the pool exists (no DATABASE_URL). */
export function controlPlanePoolStats(): PoolStats | null {
  if (!getSettings().databaseUrl) return null;
  const pool = getPool();
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
}
