import type pg from "pg";
import { quoteIdent } from "../db/sql-identifiers";
import { TRACKING_SCHEMA } from "../domain/history";
import type { RelationKind, RoutineKind, TypeKind } from "./schemas";

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
 * the system's own (pg_*, information_schema), public and the console's change log; in name order.
 */
export async function listSchemas(client: pg.ClientBase, filter: { pattern: string | null; names?: readonly string[] }): Promise<string[]> {
  const { rows } = await client.query<{ nspname: string }>(
    `select nspname from pg_namespace
      where ($1::text is null or nspname like $1)
        and ($2::text[] is null or nspname = any($2))
        and nspname !~ '^pg_' and nspname not in ('information_schema', 'public', $3)
      order by nspname`,
    [filter.pattern, filter.names ?? null, TRACKING_SCHEMA],
  );
  return rows.map((r) => r.nspname);
}

/**
 * What a tenant's schema holds, for the preview of dropping it. Plain SQL on the system catalogs.
 * Indexes, constraints, triggers and TOAST tables go with their tables and are not listed; array
 * types, multiranges and the row types of tables go with what they belong to.
 */

const RELATION_KIND: Record<string, RelationKind> = { r: "table", p: "partitioned table", v: "view", m: "materialized view", f: "foreign table" };
const TYPE_KIND: Record<string, TypeKind> = { e: "enum", c: "composite", d: "domain", r: "range" };
const ROUTINE_KIND: Record<string, RoutineKind> = { f: "function", p: "procedure", a: "aggregate", w: "window function" };

export interface SchemaRelationRow {
  name: string;
  kind: RelationKind;
  rowsEstimate: number | null;
  bytes: number;
}

export async function listSchemaRelations(client: pg.ClientBase, schemaName: string): Promise<SchemaRelationRow[]> {
  const { rows } = await client.query<{ name: string; relkind: string; reltuples: number; bytes: string }>(
    `select c.relname as name, c.relkind, c.reltuples::float8 as reltuples,
            case when c.relkind in ('r', 'm', 'p') then pg_total_relation_size(c.oid) else 0 end::text as bytes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f')
      order by c.relname`,
    [schemaName],
  );
  return rows.map((r) => ({
    name: r.name,
    kind: RELATION_KIND[r.relkind]!,
    // reltuples is -1 (PostgreSQL 14+) or 0 before the first VACUUM/ANALYZE: unknown, not empty.
    rowsEstimate: r.reltuples >= 0 ? Math.round(r.reltuples) : null,
    bytes: Number(r.bytes),
  }));
}

/**
 * Exact row counts of the given tables, each allowed `timeoutMs`: a table too large to count in
 * time gets null (the preview shows the estimate instead). One read-only transaction, a savepoint
 * per table so one timeout does not lose the others.
 */
export async function countRows(
  client: pg.ClientBase,
  schemaName: string,
  tables: readonly string[],
  timeoutMs: number,
): Promise<Map<string, number | null>> {
  const counts = new Map<string, number | null>();
  if (tables.length === 0) return counts;
  await client.query("begin transaction read only");
  try {
    await client.query(`set local statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    for (const table of tables) {
      await client.query("savepoint count_rows");
      try {
        const { rows } = await client.query<{ n: string }>(`select count(*)::text as n from ${quoteIdent(schemaName)}.${quoteIdent(table)}`);
        counts.set(table, Number(rows[0]!.n));
        await client.query("release savepoint count_rows");
      } catch {
        // Too slow (57014) or unreadable: the preview says "not counted" rather than guessing.
        await client.query("rollback to savepoint count_rows");
        counts.set(table, null);
      }
    }
  } finally {
    await client.query("rollback");
  }
  return counts;
}

export async function listSchemaSequences(client: pg.ClientBase, schemaName: string): Promise<Array<{ name: string }>> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind = 'S' order by c.relname`,
    [schemaName],
  );
  return rows;
}

/** Enums, stand-alone composite types, domains and ranges (not array types, multiranges or row types). */
export async function listSchemaTypes(client: pg.ClientBase, schemaName: string): Promise<Array<{ name: string; kind: TypeKind }>> {
  const { rows } = await client.query<{ name: string; typtype: string }>(
    `select t.typname as name, t.typtype
       from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = $1
        and t.typtype in ('e', 'c', 'd', 'r')
        and (t.typtype <> 'c' or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')
      order by t.typname`,
    [schemaName],
  );
  return rows.map((r) => ({ name: r.name, kind: TYPE_KIND[r.typtype]! }));
}

export async function listSchemaRoutines(
  client: pg.ClientBase,
  schemaName: string,
): Promise<Array<{ name: string; arguments: string; kind: RoutineKind }>> {
  const { rows } = await client.query<{ name: string; arguments: string; prokind: string }>(
    `select p.proname as name, pg_get_function_identity_arguments(p.oid) as arguments, p.prokind
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = $1
      order by p.proname, 2`,
    [schemaName],
  );
  return rows.map((r) => ({ name: r.name, arguments: r.arguments, kind: ROUTINE_KIND[r.prokind] ?? "function" }));
}

/**
 * Objects outside the schema that depend on something in it (a view or foreign key elsewhere on
 * one of its tables, a column of one of its types, a function returning one of its types, an
 * extension installed in it): DROP SCHEMA … CASCADE would drop or change them too. pg_depend
 * records the dependency; the dependent's own schema is found per catalog (a rule, trigger,
 * default or policy is placed by its table, a view's rule is named as the view). Internal
 * dependencies (TOAST tables, row types) belong to what they hang on and are left out.
 */
export async function listOutsideDependents(client: pg.ClientBase, schemaName: string): Promise<Array<{ type: string; identity: string }>> {
  const { rows } = await client.query<{ type: string; identity: string }>(
    `with ns as (select oid from pg_namespace where nspname = $1),
     inside as (
       select 'pg_class'::regclass::oid as classid, c.oid as objid from pg_class c, ns where c.relnamespace = ns.oid
       union all select 'pg_type'::regclass::oid, t.oid from pg_type t, ns where t.typnamespace = ns.oid
       union all select 'pg_proc'::regclass::oid, p.oid from pg_proc p, ns where p.pronamespace = ns.oid
       union all select 'pg_namespace'::regclass::oid, ns.oid from ns
     ),
     dependents as (
       select distinct
              case when d.classid = 'pg_rewrite'::regclass then 'pg_class'::regclass::oid else d.classid end as classid,
              case when d.classid = 'pg_rewrite'::regclass then (select r.ev_class from pg_rewrite r where r.oid = d.objid) else d.objid end as objid,
              case when d.classid = 'pg_rewrite'::regclass then 0 else d.objsubid end as objsubid
         from pg_depend d join inside i on i.classid = d.refclassid and i.objid = d.refobjid
        where d.deptype in ('n', 'a')
     ),
     placed as (
       select dp.*,
              case dp.classid
                when 'pg_class'::regclass then (select relnamespace from pg_class where oid = dp.objid)
                when 'pg_type'::regclass then (select typnamespace from pg_type where oid = dp.objid)
                when 'pg_proc'::regclass then (select pronamespace from pg_proc where oid = dp.objid)
                when 'pg_constraint'::regclass then (select connamespace from pg_constraint where oid = dp.objid)
                when 'pg_trigger'::regclass then (select c.relnamespace from pg_trigger g join pg_class c on c.oid = g.tgrelid where g.oid = dp.objid)
                when 'pg_attrdef'::regclass then (select c.relnamespace from pg_attrdef a join pg_class c on c.oid = a.adrelid where a.oid = dp.objid)
                when 'pg_policy'::regclass then (select c.relnamespace from pg_policy p join pg_class c on c.oid = p.polrelid where p.oid = dp.objid)
                else null
              end as owner_ns
         from dependents dp
     )
     select o.type, o.identity
       from placed p, ns, lateral pg_identify_object(p.classid, p.objid, p.objsubid) o
      where p.owner_ns is distinct from ns.oid
      order by o.identity, o.type`,
    [schemaName],
  );
  return rows;
}

/**
 * Drops the schema and everything in it, in one transaction that first checks again that nothing
 * outside the schema depends on it (the preview may be minutes old); returns those dependents
 * instead of dropping when there are any. `lockTimeoutMs` bounds the wait for the tables' locks
 * (a session still reading the tenant's data), after which PostgreSQL's 55P03 reaches the caller.
 */
export async function dropSchemaUnlessDependedOn(
  client: pg.ClientBase,
  schemaName: string,
  lockTimeoutMs: number,
): Promise<{ dropped: true } | { dropped: false; outsideDependents: Array<{ type: string; identity: string }> }> {
  await client.query("begin");
  try {
    await client.query(`set local lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
    const outsideDependents = await listOutsideDependents(client, schemaName);
    if (outsideDependents.length > 0) {
      await client.query("rollback");
      return { dropped: false, outsideDependents };
    }
    await client.query(`drop schema ${quoteIdent(schemaName)} cascade`);
    await client.query("commit");
    return { dropped: true };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  }
}
