import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

type Writer = Pick<Db, "execute">;

/** A history table's marker: which stored history holds its rows. */
export interface MarkerNow {
  schemaName: string;
  tableOid: number;
  changes: string;
}

/** One stored history: the marker it was read under, and its rows as JSON text. */
export interface StoredHistory extends MarkerNow {
  history: string;
}

/** Schemas per statement (bytes of JSON in one parameter). */
const CHUNK = 1_000;

/**
 * The stored histories of one database, under its current address and change log, whose table
 * markers read as given: only those rows travel (a plan asks for every table that is not in its
 * memory, most of which are unchanged after a start, all of which have changed in steady state).
 */
export async function readStoredHistories(
  db: Writer,
  where: { connectionId: string; databaseKey: string; logId: string; markers: readonly MarkerNow[] },
): Promise<Pick<StoredHistory, "schemaName" | "history">[]> {
  const found: Pick<StoredHistory, "schemaName" | "history">[] = [];
  for (let i = 0; i < where.markers.length; i += CHUNK) {
    const chunk = where.markers.slice(i, i + CHUNK).map((m) => ({ s: m.schemaName, o: m.tableOid, c: m.changes }));
    const { rows } = await db.execute<{ schema_name: string; history: string }>(sql`
      select r.schema_name, r.history
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as m(s text, o bigint, c text)
      join console.remembered_histories r
        on r.connection_id = ${where.connectionId}::uuid and r.schema_name = m.s
       and r.database_key = ${where.databaseKey} and r.log_id = ${where.logId}
       and r.table_oid = m.o and r.changes = m.c`);
    for (const r of rows) found.push({ schemaName: r.schema_name, history: r.history });
  }
  return found;
}

/**
 * Stores histories just read (one row per schema, replacing what was there). The rows travel as one
 * jsonb parameter per chunk, expanded on the server.
 */
export async function writeStoredHistories(
  db: Writer,
  at: { connectionId: string; databaseKey: string; logId: string },
  histories: readonly StoredHistory[],
): Promise<void> {
  for (let i = 0; i < histories.length; i += CHUNK) {
    const chunk = histories.slice(i, i + CHUNK).map((h) => ({ s: h.schemaName, o: h.tableOid, c: h.changes, h: h.history }));
    await db.execute(sql`
      insert into console.remembered_histories as r (connection_id, schema_name, database_key, log_id, table_oid, changes, history)
      select ${at.connectionId}::uuid, t.s, ${at.databaseKey}, ${at.logId}, t.o, t.c, t.h
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as t(s text, o bigint, c text, h text)
      on conflict (connection_id, schema_name) do update set
        database_key = excluded.database_key, log_id = excluded.log_id, table_oid = excluded.table_oid,
        changes = excluded.changes, history = excluded.history, remembered_at = now()`);
  }
}

/** Forgets every stored history (the scale bench's "nothing remembered anywhere"). */
export async function clearStoredHistories(db: Writer): Promise<void> {
  await db.execute(sql`truncate console.remembered_histories`);
}
