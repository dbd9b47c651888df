import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rememberedHistories } from "../../db/schema";

type Reader = Pick<Db, "select">;
type Writer = Pick<Db, "execute">;

/** One stored history: where and under which marker it was read, and its rows as JSON text. */
export interface StoredHistory {
  schemaName: string;
  tableOid: number;
  changes: string;
  history: string;
}

/** Schemas per statement: a bound parameter each when reading, bytes of JSON when writing. */
const READ_CHUNK = 10_000;
const WRITE_CHUNK = 1_000;

/** The stored histories of some schemas of one database, under its current address and change log. */
export async function readStoredHistories(
  db: Reader,
  where: { connectionId: string; databaseKey: string; logId: string; schemas: readonly string[] },
): Promise<StoredHistory[]> {
  const found: StoredHistory[] = [];
  for (let i = 0; i < where.schemas.length; i += READ_CHUNK) {
    const rows = await db
      .select({
        schemaName: rememberedHistories.schemaName,
        tableOid: rememberedHistories.tableOid,
        changes: rememberedHistories.changes,
        history: rememberedHistories.history,
      })
      .from(rememberedHistories)
      .where(
        and(
          eq(rememberedHistories.connectionId, where.connectionId),
          eq(rememberedHistories.databaseKey, where.databaseKey),
          eq(rememberedHistories.logId, where.logId),
          inArray(rememberedHistories.schemaName, where.schemas.slice(i, i + READ_CHUNK)),
        ),
      );
    found.push(...rows);
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
  for (let i = 0; i < histories.length; i += WRITE_CHUNK) {
    const chunk = histories.slice(i, i + WRITE_CHUNK).map((h) => ({ s: h.schemaName, o: h.tableOid, c: h.changes, h: h.history }));
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
