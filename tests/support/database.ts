import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { migrateControlPlane } from "../../server/db/migrate";

/** URL of `database` on the test PostgreSQL server. */
export function testServerUrl(database: string): string {
  const url = new URL(inject("pgAdminUrl"));
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** A fresh, empty database for one suite; `drop` removes it (and any sessions still on it). */
export async function createTestDatabase(prefix = "t"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`.toLowerCase();
  await adminQuery(`create database "${name}"`);
  return {
    name,
    url: testServerUrl(name),
    drop: async () => {
      await adminQuery(`drop database if exists "${name}" with (force)`);
    },
  };
}

/** A fresh database with the control-plane schema migrated into it. */
export async function createControlPlaneDatabase(prefix = "cp"): Promise<TestDatabase> {
  const database = await createTestDatabase(prefix);
  await migrateControlPlane(database.url);
  return database;
}

/**
 * Runs SQL on a database of the test server as its superuser, on a connection of its own. Without
 * parameters several statements may be sent at once.
 */
export async function onDatabase<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<R>(sql, params);
  } finally {
    await client.end();
  }
}

/** Runs one query on the test server's database named `database`. */
export function queryOn<R extends pg.QueryResultRow = pg.QueryResultRow>(database: string, sql: string, params: unknown[] = []) {
  return onDatabase<R>(testServerUrl(database), sql, params);
}

/** Runs one query on the test server's maintenance database (creating and dropping databases). */
export function adminQuery(sql: string, params: unknown[] = []) {
  return queryOn("postgres", sql, params);
}
