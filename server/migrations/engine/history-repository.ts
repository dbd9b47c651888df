import pg from "pg";
import { HISTORY_STATES } from "../../domain/history";
import { interner, type Interner } from "../../domain/interner";
import { quoteIdent } from "./quote-ident";
import type { HistoryRow, HistoryState } from "./types";

/**
 * Each target's own record of what it has applied: `<schema>._schema_migrations`. Rows are written
 * in the same transaction as their migration, so the table is the truth about the target even when
 * the control plane lost track (crash, restore, a second console).
 */

export const HISTORY_TABLE = "_schema_migrations";

type Queryable = Pick<pg.ClientBase, "query">;

const COLUMNS = "version, name, checksum, applied_at, execution_id, duration_ms, applied_by, state";

const table = (schema: string) => `${quoteIdent(schema)}.${quoteIdent(HISTORY_TABLE)}`;

interface RawRow {
  version: string;
  name: string;
  checksum: string;
  applied_at: Date;
  execution_id: string | null;
  duration_ms: number | null;
  applied_by: string | null;
  state: HistoryState;
}

const toRow = (r: RawRow): HistoryRow => ({
  version: r.version,
  name: r.name,
  checksum: r.checksum,
  appliedAtMs: r.applied_at.getTime(),
  executionId: r.execution_id,
  durationMs: r.duration_ms,
  appliedBy: r.applied_by,
  state: r.state,
});

/**
 * Creates the schema and its history table when missing; returns true when it created the table
 * (so the history is empty). Checks first: CREATE … IF NOT EXISTS still needs CREATE privilege and
 * takes a lock, which a migration user may lack on an existing schema.
 */
export async function ensureHistoryTable(client: Queryable, schema: string): Promise<boolean> {
  const { rows } = await client.query<{ has_schema: boolean; has_table: boolean }>(
    `select exists (select 1 from pg_namespace where nspname = $1) as has_schema,
            to_regclass($2) is not null as has_table`,
    [schema, table(schema)],
  );
  if (rows[0]?.has_table) return false;
  if (!rows[0]?.has_schema) await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  await client.query(
    `create table if not exists ${table(schema)} (
       version text primary key,
       name text not null,
       checksum text not null,
       applied_at timestamptz not null default now(),
       execution_id text,
       duration_ms integer,
       applied_by text,
       state text not null default 'applied' constraint ${quoteIdent(STATE_CHECK)} check (${STATE_CHECK_SQL})
     )`,
  );
  return true;
}

const STATE_CHECK = `${HISTORY_TABLE}_state_check`;
const STATE_CHECK_SQL = `state in (${HISTORY_STATES.map((s) => `'${s}'`).join(", ")})`;

/**
 * History tables created before `baselined` existed check `state in ('applied', 'started',
 * 'failed')`. Before the first baselined row goes in, the check is replaced by one that knows every
 * state (one ALTER TABLE: a brief exclusive lock on the history table, taken under the target's
 * advisory lock). Does nothing when the check already allows every state.
 */
export async function ensureHistoryStates(client: Queryable, schema: string): Promise<void> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `select conname as name, pg_get_constraintdef(oid) as definition
       from pg_constraint where conrelid = $1::regclass and contype = 'c'`,
    [table(schema)],
  );
  const stateChecks = rows.filter((r) => /\bstate\b/.test(r.definition));
  if (stateChecks.length > 0 && stateChecks.every((r) => HISTORY_STATES.every((s) => r.definition.includes(`'${s}'`)))) return;
  const drops = stateChecks.map((r) => `drop constraint ${quoteIdent(r.name)}`);
  await client.query(
    `alter table ${table(schema)} ${[...drops, `add constraint ${quoteIdent(STATE_CHECK)} check (${STATE_CHECK_SQL})`].join(", ")}`,
  );
}

/** One target's history, by version; empty when the table does not exist yet. */
export async function readTargetHistory(client: Queryable, schema: string): Promise<HistoryRow[]> {
  const { rows } = await client.query<{ exists: boolean }>("select to_regclass($1) is not null as exists", [table(schema)]);
  if (!rows[0]?.exists) return [];
  return readExistingHistory(client, schema);
}

/** readTargetHistory when the table is known to exist: one query. */
export async function readExistingHistory(client: Queryable, schema: string): Promise<HistoryRow[]> {
  const result = await client.query<RawRow>(`select ${COLUMNS} from ${table(schema)} order by version`);
  return result.rows.map(toRow);
}

/**
 * Reads the history of many schemas of one database without a round trip per schema: one catalog
 * query finds which schemas have the table, then each batch of BULK_CHUNK schemas goes to the server
 * as one message of `select …; select …;` statements. Schemas without the table map to [].
 *
 * Why this shape (2,500 tenant schemas in one database, local PostgreSQL 15, fresh session):
 * one UNION ALL statement over all of them took 35 s (planning a long UNION ALL grows faster than
 * linearly: chunks of 100/500/1,000 took 0.9/1.9/4.7 s), a query per schema 1.1 s plus a network
 * round trip each, batches of plain statements 0.6–0.8 s.
 *
 * Every table read holds an AccessShareLock on the table and its primary key until its transaction
 * ends, and the lock table is shared by all sessions of the server (max_locks_per_transaction ×
 * max_connections, 6,400 by default). A plan of 100,000 tenants reads 16 sessions at a time; had
 * each held a whole batch's locks (1,000) the server ran out of shared memory and whole databases
 * read as unreachable. So inside a batch the statements run in explicit transactions of
 * LOCK_GROUP tables (`begin; select …; …; commit;`, still one message and one round trip), and a
 * session holds at most 2 × LOCK_GROUP locks at any moment. The session must not be in a
 * transaction already (a pooled session taken for this read).
 */
export const BULK_CHUNK = 500;
const LOCK_GROUP = 25;

/**
 * The bulk read asks each table for its whole history as one JSON text (one row, one field) instead
 * of a row per migration: at 100,000 tenants (600,000 history rows) the console spent most of its
 * time decoding rows field by field and collecting the garbage that left; one JSON.parse per table
 * is native code. applied_at travels as milliseconds since the epoch.
 */
const BULK_SELECT =
  "select coalesce(json_agg(json_build_array(version, name, checksum, (extract(epoch from applied_at) * 1000)::float8, " +
  "execution_id, duration_ms, applied_by, state) order by version), '[]')::text as h from ";

type BulkRow = [string, string, string, number, string | null, number | null, string | null, HistoryState];

/**
 * Thousands of histories repeat the same versions, names, checksums, execution ids and users; one
 * copy of each string per read keeps the rows a plan (or the console's history cache) holds small.
 */
const bulkToRow = (r: BulkRow, one: Interner): HistoryRow => ({
  version: one(r[0]),
  name: one(r[1]),
  checksum: one(r[2]),
  appliedAtMs: r[3],
  executionId: one(r[4]),
  durationMs: r[5],
  appliedBy: one(r[6]),
  state: one(r[7]),
});

/** A history as the bulk read's JSON text (what the console stores of it, and reads back with parseHistoryJson). */
export const historyJson = (rows: readonly HistoryRow[]): string =>
  JSON.stringify(rows.map((r): BulkRow => [r.version, r.name, r.checksum, r.appliedAtMs, r.executionId, r.durationMs, r.appliedBy, r.state]));

/** Rows from the bulk read's JSON text, their strings shared through `one`. */
export const parseHistoryJson = (text: string, one: Interner): HistoryRow[] => (JSON.parse(text) as BulkRow[]).map((r) => bulkToRow(r, one));

export async function readDatabaseHistories(
  client: Queryable,
  schemas: readonly string[],
  chunkSize: number = BULK_CHUNK,
): Promise<Map<string, HistoryRow[]>> {
  const histories = new Map<string, HistoryRow[]>(schemas.map((s) => [s, []]));
  if (schemas.length === 0) return histories;
  const { rows } = await client.query<{ schema: string }>(
    `select n.nspname as schema
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relname = $1 and c.relkind in ('r', 'p') and n.nspname = any($2::text[])
      order by 1`,
    [HISTORY_TABLE, [...new Set(schemas)]],
  );
  for (const [schema, history] of await readHistoryTables(client, rows.map((r) => r.schema), chunkSize)) histories.set(schema, history);
  return histories;
}

/** The bulk read of readDatabaseHistories for schemas known to have the table (see the notes above). */
export async function readHistoryTables(
  client: Queryable,
  present: readonly string[],
  chunkSize: number = BULK_CHUNK,
): Promise<Map<string, HistoryRow[]>> {
  const histories = new Map<string, HistoryRow[]>();
  const one = interner();
  for (let i = 0; i < present.length; i += chunkSize) {
    const chunk = present.slice(i, i + chunkSize);
    // No parameters: node-postgres then uses the simple protocol, which allows several statements.
    const statements: string[] = [];
    for (let g = 0; g < chunk.length; g += LOCK_GROUP) {
      const group = chunk.slice(g, g + LOCK_GROUP).map((schema) => `${BULK_SELECT}${table(schema)}`);
      statements.push("begin", ...group, "commit");
    }
    const result = (await client.query(statements.join(";\n"))) as unknown as pg.QueryResult<{ h: string }> | pg.QueryResult<{ h: string }>[];
    // One result per statement: the begins and commits answer too.
    const results = (Array.isArray(result) ? result : [result]).filter((r) => r.command === "SELECT");
    chunk.forEach((schema, j) => {
      const text = results[j]?.rows[0]?.h;
      histories.set(schema, text ? parseHistoryJson(text, one) : []);
    });
  }
  return histories;
}

export interface NewHistoryRow {
  version: string;
  name: string;
  checksum: string;
  executionId: string | null;
  durationMs: number | null;
  appliedBy: string | null;
  state: HistoryState;
}

export async function insertHistoryRow(client: Queryable, schema: string, row: NewHistoryRow): Promise<void> {
  await client.query(
    `insert into ${table(schema)} (version, name, checksum, execution_id, duration_ms, applied_by, state)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [row.version, row.name, row.checksum, row.executionId, row.durationMs, row.appliedBy, row.state],
  );
}

/**
 * The same insert as SQL text, for the message that applies a transactional migration in one round
 * trip (migration-message.ts): literals instead of parameters, since a simple-query message cannot
 * carry any. `durationMs: "elapsed"` stores the time since the server received that message.
 */
export function historyInsertSql(schema: string, row: Omit<NewHistoryRow, "durationMs"> & { durationMs: number | null | "elapsed" }): string {
  const text = (v: string | null) => (v === null ? "NULL" : pg.escapeLiteral(v));
  const duration =
    row.durationMs === "elapsed"
      ? "(extract(epoch from clock_timestamp() - statement_timestamp()) * 1000)::integer"
      : row.durationMs === null
        ? "NULL"
        : String(Math.round(row.durationMs));
  return (
    `insert into ${table(schema)} (version, name, checksum, execution_id, duration_ms, applied_by, state) values (` +
    `${text(row.version)}, ${text(row.name)}, ${text(row.checksum)}, ${text(row.executionId)}, ${duration}, ${text(row.appliedBy)}, ${text(row.state)})`
  );
}

/** Moves a `started` row to `applied` or `failed` once a non-transactional migration ends. */
export async function finishHistoryRow(
  client: Queryable,
  schema: string,
  version: string,
  state: "applied" | "failed",
  durationMs: number,
): Promise<void> {
  await client.query(
    `update ${table(schema)} set state = $2, duration_ms = $3, applied_at = now() where version = $1`,
    [version, state, durationMs],
  );
}

/** Marks an applied `transaction: false` migration as in flux while its down part runs. */
export async function markHistoryStarted(client: Queryable, schema: string, version: string): Promise<void> {
  await client.query(`update ${table(schema)} set state = 'started' where version = $1`, [version]);
}

export async function deleteHistoryRow(client: Queryable, schema: string, version: string): Promise<number> {
  const result = await client.query(`delete from ${table(schema)} where version = $1`, [version]);
  return result.rowCount ?? 0;
}

/** deleteHistoryRow as SQL text, for the message that reverts a transactional migration. */
export function historyDeleteSql(schema: string, version: string): string {
  return `delete from ${table(schema)} where version = ${pg.escapeLiteral(version)}`;
}

/**
 * An operator accepts drift: the applied (or baselined) migration's recorded checksum becomes the
 * file's current one. Returns false when no such row has that version.
 */
export async function acceptDrift(client: Queryable, schema: string, version: string, checksum: string): Promise<boolean> {
  const result = await client.query(
    `update ${table(schema)} set checksum = $2 where version = $1 and state in ('applied', 'baselined')`,
    [version, checksum],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * An operator settles an interrupted non-transactional migration after looking at the target:
 * `completed` records it as applied, `retry` forgets the attempt so the next execution runs it again.
 */
export async function resolveInterrupted(
  client: Queryable,
  schema: string,
  version: string,
  resolution: "completed" | "retry",
): Promise<boolean> {
  const result =
    resolution === "completed"
      ? await client.query(`update ${table(schema)} set state = 'applied' where version = $1 and state in ('started', 'failed')`, [version])
      : await client.query(`delete from ${table(schema)} where version = $1 and state in ('started', 'failed')`, [version]);
  return (result.rowCount ?? 0) > 0;
}
