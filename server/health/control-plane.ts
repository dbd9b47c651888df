import "server-only";
import { getSettings } from "../config/settings";
import { getPool } from "../db/client";
import { shippedMigrations } from "../db/migrate";
import { appliedControlPlaneMigrations } from "./repository";
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

/**
 * Whether the control-plane schema is what this build expects. Throws when the database cannot be
 * reached (or does not answer in time). Mirrors the migrator's own rule: a file is pending when it is
 * newer than the newest applied migration.
 */
export async function controlPlaneSchemaState(): Promise<SchemaState> {
  const { applied, newest: newestMillis } = await withTimeout(
    appliedControlPlaneMigrations(getPool()),
    CONTROL_PLANE_TIMEOUT_MS,
    "the control-plane database",
  );
  const newest = newestMillis === null ? -Infinity : Number(newestMillis);
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
