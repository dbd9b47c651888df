import pg from "pg";
import { buildCatalog } from "../../server/migrations/engine/catalog";
import { loadSqlParser } from "../../server/migrations/engine/sql-parser";
import { withNewClient, type WithClient } from "../../server/migrations/engine/target-run";
import type { Catalog, Target } from "../../server/migrations/engine/types";
import { createTestDatabase, onDatabase, type TestDatabase } from "../support/database";

/** A fresh database standing for one regional shared database of the fleet. */
export async function createFleetDatabase(prefix = "eng"): Promise<TestDatabase & { withClient: WithClient }> {
  const db = await createTestDatabase(prefix);
  return { ...db, withClient: withNewClient({ connectionString: db.url }) };
}

export function sharedTarget(databaseName: string, region = "eu"): Target {
  return {
    connectionId: `conn-${databaseName}`,
    connectionName: `shared-${region}`,
    databaseName,
    schemaName: "public",
    tier: "shared",
    region,
  };
}

export function tenantTarget(databaseName: string, slug: string, region = "eu"): Target {
  return { ...sharedTarget(databaseName, region), schemaName: `tenant_${slug}`, tier: "tenant", tenantId: `tenant-${slug}` };
}

/** A catalog from in-memory files (the SQL parser is loaded first). */
export async function catalogOf(files: Record<string, string>): Promise<Catalog> {
  await loadSqlParser();
  return buildCatalog("memory", Object.entries(files).map(([p, content]) => ({ path: p, content })));
}

/** The rows of one query on a test database. */
export async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  return (await onDatabase<R>(url, sql, params)).rows;
}

/**
 * Everything a migration can change in the given schemas, as comparable plain data: schemas,
 * relations (with their storage file, so a rewrite shows), columns, indexes, constraints,
 * functions, and every table's row count.
 */
export async function snapshotSchemas(url: string, schemas: string[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql, [schemas])).rows;
    const namespaces = await q("select nspname from pg_namespace where nspname = any($1) order by 1");
    const relations = await q(
      `select n.nspname, c.relname, c.relkind, c.relfilenode, c.relnatts, c.relchecks, c.relhastriggers
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) order by 1, 2`,
    );
    const columns = await q(
      `select c.oid::regclass::text as rel, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) as type,
              a.attnotnull, a.atthasdef, a.attisdropped, a.attgenerated
         from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) and a.attnum > 0 order by 1, 2`,
    );
    const indexes = await q(
      `select i.indexrelid::regclass::text as name, i.indisvalid, i.indisready, pg_get_indexdef(i.indexrelid) as def
         from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any($1) order by 1`,
    );
    const constraints = await q(
      `select n.nspname, con.conname, con.conrelid::regclass::text as rel, pg_get_constraintdef(con.oid) as def
         from pg_constraint con join pg_namespace n on n.oid = con.connamespace
        where n.nspname = any($1) order by 1, 2, 3`,
    );
    const functions = await q(
      `select n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) as args, md5(p.prosrc) as body
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any($1) order by 1, 2, 3`,
    );
    const rowCounts: Record<string, number> = {};
    for (const r of relations.filter((r) => r.relkind === "r")) {
      const name = `"${r.nspname}"."${r.relname}"`;
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${name}`);
      rowCounts[name] = rows[0]!.n;
    }
    return { namespaces, relations, columns, indexes, constraints, functions, rowCounts };
  } finally {
    await client.end();
  }
}
