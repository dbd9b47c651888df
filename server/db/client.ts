import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { getSettings } from "../config/settings";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;

interface ControlPlane {
  pool: pg.Pool;
  db: Db;
}

const cacheKey = Symbol.for("console.controlPlane");
type GlobalWithDb = typeof globalThis & { [cacheKey]?: ControlPlane };

// Timestamps come back as Date, bigints as strings: keep pg's defaults, but parse int8 counts we
// select with ::int casts on the SQL side instead of changing global parsers.

export function createControlPlane(connectionString: string, poolSize: { min: number; max: number }): ControlPlane {
  const pool = new pg.Pool({
    connectionString,
    min: poolSize.min,
    max: poolSize.max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: "infrastructure-console",
  });
  // A client losing its connection (server restart), idle or checked out, must not crash the
  // process: the query in flight fails and says why, the pool replaces the client.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return { pool, db: drizzle(pool, { schema }) };
}

/**
 * The control-plane database, shared by route handlers, server actions and the in-process worker
 * (one pool per process, kept on globalThis so Next's module copies and hot reloads share it).
 */
export function getControlPlane(): ControlPlane {
  const g = globalThis as GlobalWithDb;
  if (!g[cacheKey]) {
    const settings = getSettings();
    if (!settings.databaseUrl) {
      throw new Error("DATABASE_URL is not set: start the console with `npm start` or set DATABASE_URL");
    }
    g[cacheKey] = createControlPlane(settings.databaseUrl, settings.dbPool);
  }
  return g[cacheKey];
}

export const getDb = (): Db => getControlPlane().db;
export const getPool = (): pg.Pool => getControlPlane().pool;

export async function closeControlPlane() {
  const g = globalThis as GlobalWithDb;
  const cp = g[cacheKey];
  delete g[cacheKey];
  await cp?.pool.end();
}
