import type pg from "pg";
import { quoteIdent } from "./sql-identifiers";

/**
 * Statements to the PostgreSQL server itself rather than one of its databases: creating the
 * control-plane database at first start (embedded mode) and the demo fleet's databases beside it.
 * Plain SQL on a session the caller holds: CREATE DATABASE runs outside a transaction and has no
 * IF NOT EXISTS, hence the look in pg_database first.
 */

export async function databaseExists(client: pg.ClientBase, database: string): Promise<boolean> {
  const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
  return !!rowCount;
}

export async function createDatabase(client: pg.ClientBase, database: string): Promise<void> {
  await client.query(`create database ${quoteIdent(database)}`);
}
