import type pg from "pg";
import type { ExpectedObject } from "./expected-objects";

type Queryable = Pick<pg.ClientBase, "query">;

/**
 * Which of `expected` a target does not hold, read from PostgreSQL's catalogs in one query. An
 * object without a schema is looked for in `schema` (the target's own, where search_path put it).
 * Read-only: no lock beyond the catalog reads, so it can run before the target's lock is taken.
 */
export async function findMissingObjects(
  client: Queryable,
  schema: string,
  expected: readonly ExpectedObject[],
): Promise<ExpectedObject[]> {
  if (expected.length === 0) return [];
  const { rows } = await client.query<{ i: number }>(
    // One row per expected object (its index in the list), kept when nothing in the catalogs matches.
    `select w.i
       from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as w(kind, nsp, name, col, i)
      where not case w.kind
        when 'table' then exists (
          select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = w.nsp and c.relname = w.name and c.relkind in ('r', 'p', 'f'))
        when 'view' then exists (
          select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = w.nsp and c.relname = w.name and c.relkind in ('v', 'm'))
        when 'sequence' then exists (
          select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = w.nsp and c.relname = w.name and c.relkind = 'S')
        when 'index' then exists (
          select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = w.nsp and c.relname = w.name and c.relkind in ('i', 'I'))
        when 'column' then exists (
          select 1 from pg_attribute a
            join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = w.nsp and c.relname = w.name and a.attname = w.col and a.attnum > 0 and not a.attisdropped)
        when 'type' then exists (
          select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace
           where n.nspname = w.nsp and t.typname = w.name)
        when 'function' then exists (
          select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = w.nsp and p.proname = w.name)
        else true
      end
      order by w.i`,
    [
      expected.map((o) => o.kind),
      expected.map((o) => o.schema ?? schema),
      expected.map((o) => o.name),
      expected.map((o) => o.column ?? ""),
    ],
  );
  return rows.map((r) => expected[Number(r.i) - 1]!);
}

/** The relations (tables, indexes, views, sequences) of `schemas`, by oid. */
export async function relationsIn(client: Queryable, schemas: readonly string[]): Promise<{ oid: number; name: string }[]> {
  const { rows } = await client.query<{ oid: string; name: string }>(
    `select c.oid::int8 as oid, n.nspname || '.' || c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'm', 'i', 'S', 'v')`,
    [schemas],
  );
  return rows.map((r) => ({ oid: Number(r.oid), name: r.name }));
}

/** The relation locks this session holds now, granted ones only. */
export async function relationLocksHeld(client: Queryable): Promise<{ relation: number; mode: string }[]> {
  const { rows } = await client.query<{ relation: string; mode: string }>(
    `select relation::int8 as relation, mode from pg_locks
      where pid = pg_backend_pid() and granted and locktype = 'relation'`,
  );
  return rows.map((r) => ({ relation: Number(r.relation), mode: r.mode }));
}

/**
 * The size of each table of `schemas` as the planner knows it: `reltuples` (-1 when never
 * analyzed, returned as null), the main fork's bytes, and the file that holds it, which a rewrite
 * replaces. Read once before a rehearsal runs anything.
 */
export async function tableSizesIn(
  client: Queryable,
  schemas: readonly string[],
): Promise<{ oid: number; name: string; rows: number | null; bytes: number; filenode: number }[]> {
  const { rows } = await client.query<{ oid: string; name: string; rows: number; bytes: string; filenode: string }>(
    `select c.oid::int8 as oid, n.nspname || '.' || c.relname as name, c.reltuples::float8 as rows,
            pg_relation_size(c.oid)::int8 as bytes, pg_relation_filenode(c.oid)::int8 as filenode
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'm')`,
    [schemas],
  );
  return rows.map((r) => ({
    oid: Number(r.oid),
    name: r.name,
    rows: r.rows < 0 ? null : Math.round(r.rows),
    bytes: Number(r.bytes),
    filenode: Number(r.filenode),
  }));
}

/** The file behind each of `oids` now, as this session's transaction sees it (a rewrite changes it). */
export async function relationFilenodes(client: Queryable, oids: readonly number[]): Promise<Map<number, number>> {
  if (oids.length === 0) return new Map();
  const { rows } = await client.query<{ oid: string; filenode: string | null }>(
    `select c.oid::int8 as oid, pg_relation_filenode(c.oid)::int8 as filenode from pg_class c where c.oid = any($1::oid[])`,
    [oids],
  );
  return new Map(rows.map((r) => [Number(r.oid), Number(r.filenode ?? 0)]));
}
