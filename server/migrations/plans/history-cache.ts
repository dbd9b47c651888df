import type { ResolvedConnection } from "../../fleet/connection-target";
import type { HistoryMarker } from "../engine/history-tracking-repository";
import type { HistoryRow } from "../engine/types";

/**
 * The history rows this process read last, per database and schema, with the marker they were read
 * under (history-tracking-repository.ts). A plan hands a schema its remembered rows only when the
 * database's log and the table's marker read the same as then and the table is tracked; otherwise it
 * reads the table. So a plan of 100,000 tenants where nothing changed reads one catalog query per
 * database instead of 100,000 tables, and whatever changed (a run, an operator in psql, a restore)
 * is read again. Lives in the process: each console and worker keeps its own; nothing is shared
 * and nothing needs invalidating from outside.
 *
 * The rows are handed out as they are (never copied): plans only read them.
 */

interface Remembered {
  tableOid: number;
  changes: string;
  rows: HistoryRow[];
}

interface DatabaseEntry {
  logId: string;
  schemas: Map<string, Remembered>;
}

/**
 * At most this many histories are remembered (about 0.7 KiB each with 6 rows): past it, the databases
 * used least recently are forgotten whole.
 */
export const MAX_REMEMBERED = 250_000;

const databases = new Map<string, DatabaseEntry>();
let remembered = 0;

/**
 * The database a connection reaches, as far as the console can tell: a connection edited to point
 * elsewhere starts afresh.
 */
const databaseKey = (c: ResolvedConnection) => `${c.id}\0${databaseAddress(c)}`;

/** Where a connection points: the host, port, database and user (the control plane's copy is keyed by it too). */
export const databaseAddress = (c: ResolvedConnection) => `${c.host}\0${c.port}\0${c.databaseName}\0${c.username}`;

/** What a plan can take from memory for one database, and what it must read. */
export interface CacheLookup {
  hits: Map<string, HistoryRow[]>;
  misses: string[];
}

export function lookUpHistories(
  connection: ResolvedConnection,
  logId: string | null,
  tables: ReadonlyMap<string, HistoryMarker>,
): CacheLookup {
  const hits = new Map<string, HistoryRow[]>();
  const misses: string[] = [];
  const key = databaseKey(connection);
  const entry = databases.get(key);
  const usable = entry !== undefined && logId !== null && entry.logId === logId;
  if (entry) {
    // Most recently used last.
    databases.delete(key);
    databases.set(key, entry);
  }
  for (const [schema, marker] of tables) {
    const known = usable ? entry.schemas.get(schema) : undefined;
    if (known && marker.tracked && marker.changes !== null && known.tableOid === marker.tableOid && known.changes === marker.changes) {
      hits.set(schema, known.rows);
    } else {
      misses.push(schema);
    }
  }
  return { hits, misses };
}

/**
 * Remembers histories just read, under the markers read BEFORE the tables (a change landing between
 * the two then leaves a newer marker than the rows, which only costs a read next time; the other way
 * round would keep stale rows). Untracked tables are not remembered.
 */
export function rememberHistories(
  connection: ResolvedConnection,
  logId: string | null,
  tables: ReadonlyMap<string, HistoryMarker>,
  read: ReadonlyMap<string, HistoryRow[]>,
): void {
  const key = databaseKey(connection);
  let entry = databases.get(key);
  if (logId === null) {
    if (entry) forgetDatabase(key, entry);
    return;
  }
  if (entry && entry.logId !== logId) {
    forgetDatabase(key, entry);
    entry = undefined;
  }
  if (!entry) databases.set(key, (entry = { logId, schemas: new Map() }));
  for (const [schema, rows] of read) {
    const marker = tables.get(schema);
    const before = entry.schemas.get(schema);
    if (!marker || !marker.tracked || marker.changes === null) {
      if (before) {
        entry.schemas.delete(schema);
        remembered--;
      }
      continue;
    }
    if (!before) remembered++;
    entry.schemas.set(schema, { tableOid: marker.tableOid, changes: marker.changes, rows });
  }
  for (const [k, e] of databases) {
    if (remembered <= MAX_REMEMBERED || k === key) break;
    forgetDatabase(k, e);
  }
}

function forgetDatabase(key: string, entry: DatabaseEntry) {
  remembered -= entry.schemas.size;
  databases.delete(key);
}

/** Forgets everything (tests, and a process that wants its memory back). */
export function clearHistoryCache(): void {
  databases.clear();
  remembered = 0;
}

/** How many histories are remembered (the bench reports it). */
export function rememberedHistories(): number {
  return remembered;
}
