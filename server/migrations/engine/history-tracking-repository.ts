import type pg from "pg";
import { TRACKING_SCHEMA } from "../../domain/history";
import { HISTORY_TABLE } from "./history-repository";
import { quoteIdent } from "./quote-ident";

/**
 * A database-wide note of which history tables changed, so a plan over a large fleet need not read
 * every target's history to learn that nothing changed.
 *
 * Each target's `_schema_migrations` stays the only truth: its own statement-level trigger counts
 * every insert, update, delete and truncate on it into one row per schema of
 * `_neomt.history_changes`, in the same transaction as the change (whoever makes it: the engine,
 * an operator in psql, a restore script). A reader that remembers a table's rows together with
 * (log table, history table, counter) knows those rows are still the table's as long as the three
 * read the same and the trigger is in place and enabled. Anything else (no trigger, a table dropped
 * and made again, the log dropped) reads the table itself. Execution never relies on this: a
 * target's job reads its table under the target's lock.
 *
 * Writes to a history table with triggers switched off (`session_replication_role = replica`,
 * `ALTER TABLE … DISABLE TRIGGER` and back) are the one way around it; a plan then sees them only
 * after the next tracked change of that table. The README says so.
 */

const CHANGES = `${quoteIdent(TRACKING_SCHEMA)}.history_changes`;
const NOTE_FUNCTION = `${quoteIdent(TRACKING_SCHEMA)}.note_history_change`;
export const TRACKING_TRIGGER = `${HISTORY_TABLE}_changed`;
/** Serialises installing the database-wide objects (two targets of one database may start together). */
const INSTALL_LOCK_KEY = 0x6e656f6d; // "neom"

type Queryable = Pick<pg.ClientBase, "query">;

/** Counts one change of `schemaSql`'s history table (the trigger's body, and the first entry). */
const noteChangeSql = (schemaSql: string) =>
  `insert into ${CHANGES} as c (schema_name, changes) values (${schemaSql}, 1)
     on conflict (schema_name) do update set changes = c.changes + 1, changed_at = now()`;

/**
 * The database-wide objects: the schema, the counter table and the trigger function. The function
 * runs as its owner (SECURITY DEFINER, with a fixed search_path), so a role that may edit a history
 * table by hand is still counted without a grant on the log; it only ever upserts its own table's
 * schema name. Idempotent.
 */
export const TRACKING_OBJECTS_SQL: readonly string[] = [
  `create schema if not exists ${quoteIdent(TRACKING_SCHEMA)}`,
  `create table if not exists ${CHANGES} (
     schema_name text primary key,
     changes bigint not null,
     changed_at timestamptz not null default now()
   )`,
  `create or replace function ${NOTE_FUNCTION}() returns trigger
     language plpgsql security definer set search_path = pg_catalog, pg_temp as $body$
   begin
     ${noteChangeSql("tg_table_schema")};
     return null;
   end $body$`,
  // Only ever called as a trigger; nobody needs to execute it otherwise.
  `revoke all on function ${NOTE_FUNCTION}() from public`,
];

/** The trigger on one schema's history table (the table must exist; the objects above too). */
export function historyTriggerSql(schema: string): string {
  return (
    `create trigger ${quoteIdent(TRACKING_TRIGGER)} after insert or update or delete or truncate ` +
    `on ${quoteIdent(schema)}.${quoteIdent(HISTORY_TABLE)} for each statement execute function ${NOTE_FUNCTION}()`
  );
}

/**
 * Puts the trigger on a schema's history table (and the database-wide objects first when missing).
 * Called where the engine already writes the table under the target's advisory lock (a run, a
 * baseline), in autocommit. Returns whether the table is tracked afterwards. Tracking never fails
 * what called it: a role without the rights (CREATE on the database, ownership of the table), or
 * anything else going wrong here, leaves the table untracked (plans then read it every time, as
 * before) and the run goes on; a broken session fails the run's next statement as it would have.
 */
export async function ensureHistoryTracking(client: Queryable, schema: string): Promise<boolean> {
  try {
    const { rows } = await client.query<{ has_objects: boolean; has_trigger: boolean }>(
      `select to_regclass($1) is not null and to_regprocedure($2) is not null as has_objects,
              exists (select 1 from pg_trigger where tgrelid = to_regclass($3) and tgname = $4) as has_trigger`,
      [CHANGES, `${NOTE_FUNCTION}()`, `${quoteIdent(schema)}.${quoteIdent(HISTORY_TABLE)}`, TRACKING_TRIGGER],
    );
    if (rows[0]?.has_trigger) return true;
    await client.query("begin");
    if (!rows[0]?.has_objects) {
      await client.query("select pg_advisory_xact_lock($1)", [INSTALL_LOCK_KEY]);
      for (const statement of TRACKING_OBJECTS_SQL) await client.query(statement);
    }
    await client.query(historyTriggerSql(schema));
    // A first entry, so the table's rows can be remembered before its next change.
    await client.query(noteChangeSql("$1"), [schema]);
    await client.query("commit");
    return true;
  } catch {
    await client.query("rollback").catch(() => {});
    return false;
  }
}

/** What says whether a history table changed since it was last read. */
export interface HistoryMarker {
  /** The history table's oid: a table dropped and made again is another table. */
  tableOid: number;
  /** The trigger is in place and enabled. */
  tracked: boolean;
  /**
   * Its entry in the log: the counter and the time of the latest change (null: no tracked change
   * yet). The time makes a counter that a restore of the database set back and that then counted up
   * to the same figure read differently.
   */
  changes: string | null;
}

export interface HistoryMarkers {
  /**
   * Which log the counters come from: the database's oid and the log table's; null when the database
   * has no log (nothing in it is tracked). A copy of a database (CREATE DATABASE … TEMPLATE) keeps
   * its tables' oids but not the database's.
   */
  logId: string | null;
  /** Schemas that have a history table; the others have none. */
  tables: Map<string, HistoryMarker>;
}

/**
 * The markers of many schemas' history tables in one database: the catalog and the log only, never
 * the history tables themselves (reading 5,000 tables costs the server a first touch of each).
 */
export async function readHistoryMarkers(client: Queryable, schemas: readonly string[]): Promise<HistoryMarkers> {
  const tables = new Map<string, HistoryMarker>();
  if (schemas.length === 0) return { logId: null, tables };
  const { rows: logRows } = await client.query<{ log_id: string | null }>(
    `select (select oid from pg_database where datname = current_database()) || ':' || to_regclass($1)::oid as log_id`,
    [CHANGES],
  );
  const logId = logRows[0]?.log_id ?? null;
  // The distinct schemas asked for, each under the caller's own string (the registry's schema
  // name): the markers are keyed by it rather than by a second copy read back from the server.
  const asGiven = new Map(schemas.map((s) => [s, s]));
  // The log is joined only when it exists (the statement would not parse otherwise).
  const { rows } = await client.query<{ schema: string; table_oid: string; tracked: boolean; changes: string | null }>(
    `select n.nspname as schema, c.oid::int8 as table_oid,
            exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = $3 and t.tgenabled in ('O', 'A')) as tracked,
            ${logId === null ? "null::text" : "l.changes || '@' || (extract(epoch from l.changed_at) * 1000000)::int8"} as changes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       ${logId === null ? "" : `left join ${CHANGES} l on l.schema_name = n.nspname`}
      where c.relname = $1 and c.relkind in ('r', 'p') and n.nspname = any($2::text[])`,
    [HISTORY_TABLE, [...asGiven.keys()], TRACKING_TRIGGER],
  );
  for (const r of rows) tables.set(asGiven.get(r.schema) ?? r.schema, { tableOid: Number(r.table_oid), tracked: r.tracked, changes: r.changes });
  return { logId, tables };
}
