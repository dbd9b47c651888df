import type pg from "pg";
import { quoteIdent } from "../db/sql-identifiers";

/**
 * Tenant schemas on the databases that host them (a fleet session the caller holds, not the
 * control plane). Plain SQL: the system catalog (pg_namespace) and DDL, which drizzle does not build.
 */

export async function schemaExists(client: pg.ClientBase, schemaName: string): Promise<boolean> {
  const { rowCount } = await client.query("select 1 from pg_namespace where nspname = $1", [schemaName]);
  return !!rowCount;
}

export async function createSchemaIfMissing(client: pg.ClientBase, schemaName: string): Promise<void> {
  await client.query(`create schema if not exists ${quoteIdent(schemaName)}`);
}

/** Drops the schema only while it is empty (RESTRICT: never one something was already created in). */
export async function dropSchemaIfEmpty(client: pg.ClientBase, schemaName: string): Promise<void> {
  await client.query(`drop schema if exists ${quoteIdent(schemaName)} restrict`);
}

/**
 * Schema names matching the LIKE `pattern` (any when null), or exactly those in `names`, leaving out
 * the system's own (pg_*, information_schema) and public; in name order.
 */
export async function listSchemas(client: pg.ClientBase, filter: { pattern: string | null; names?: readonly string[] }): Promise<string[]> {
  const { rows } = await client.query<{ nspname: string }>(
    `select nspname from pg_namespace
      where ($1::text is null or nspname like $1)
        and ($2::text[] is null or nspname = any($2))
        and nspname !~ '^pg_' and nspname not in ('information_schema', 'public')
      order by nspname`,
    [filter.pattern, filter.names ?? null],
  );
  return rows.map((r) => r.nspname);
}
