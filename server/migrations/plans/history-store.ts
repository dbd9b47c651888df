import { createHash } from "node:crypto";
import { getDb } from "../../db/client";
import { sqlState } from "../../db/sql-state";
import { interner } from "../../domain/interner";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { getLogger } from "../../logging/logger";
import { historyJson, parseHistoryJson } from "../engine/history-repository";
import type { HistoryMarker } from "../engine/history-tracking-repository";
import type { HistoryRow } from "../engine/types";
import { databaseAddress } from "./history-cache";
import { readStoredHistories, writeStoredHistories, type MarkerNow, type StoredHistory } from "./remembered-histories-repository";

/**
 * The second place plans remember history rows: the control plane (console.remembered_histories),
 * behind this process's memory (history-cache.ts). A console just started, or another instance,
 * takes a table's rows from there under exactly the rule memory follows: the database (where the
 * connection points), its change log and the table's marker must read the same as when the rows
 * were read; anything else reads the table. So the first plan after a start reads the histories that
 * changed, not all of them.
 *
 * The store never decides anything and never fails a plan: a store that cannot be read or written
 * (a connection removed meanwhile, the control plane busy) leaves the plan reading the tables, as
 * without it, and says so in the log.
 */

/** Where the connection points (a connection edited to another database starts afresh); a hash, not the address. */
const databaseKeyOf = (c: ResolvedConnection) => createHash("sha256").update(databaseAddress(c)).digest("hex").slice(0, 32);

const usable = (marker: HistoryMarker | undefined): marker is HistoryMarker & { changes: string } =>
  marker !== undefined && marker.tracked && marker.changes !== null;

/** The stored histories of `schemas` stored under the markers their tables have now. */
export async function recallHistories(
  connection: ResolvedConnection,
  logId: string | null,
  tables: ReadonlyMap<string, HistoryMarker>,
  schemas: readonly string[],
): Promise<Map<string, HistoryRow[]>> {
  const recalled = new Map<string, HistoryRow[]>();
  const markers: MarkerNow[] = [];
  for (const schema of logId === null ? [] : schemas) {
    const marker = tables.get(schema);
    if (usable(marker)) markers.push({ schemaName: schema, tableOid: marker.tableOid, changes: marker.changes });
  }
  if (markers.length === 0) return recalled;
  try {
    // Only rows stored under these very markers come back (the query matches them).
    const stored = await readStoredHistories(getDb(), { connectionId: connection.id, databaseKey: databaseKeyOf(connection), logId: logId!, markers });
    const one = interner();
    for (const s of stored) recalled.set(s.schemaName, parseHistoryJson(s.history, one));
  } catch (error) {
    getLogger().warn({ err: error, connection: connection.name }, "stored histories could not be read; the plan reads the tables");
  }
  return recalled;
}

/** Stores histories just read from their tables, under the markers read before them (tracked tables only). */
export async function storeHistories(
  connection: ResolvedConnection,
  logId: string | null,
  tables: ReadonlyMap<string, HistoryMarker>,
  read: ReadonlyMap<string, readonly HistoryRow[]>,
): Promise<void> {
  if (logId === null) return;
  const histories: StoredHistory[] = [];
  for (const [schema, rows] of read) {
    const marker = tables.get(schema);
    if (usable(marker)) histories.push({ schemaName: schema, tableOid: marker.tableOid, changes: marker.changes, history: historyJson(rows) });
  }
  if (histories.length === 0) return;
  try {
    await writeStoredHistories(getDb(), { connectionId: connection.id, databaseKey: databaseKeyOf(connection), logId }, histories);
  } catch (error) {
    // A connection removed while its database was read (or one only a test knows) has no row to refer to.
    const unregistered = sqlState(error) === "23503";
    const log = getLogger();
    if (unregistered) log.debug({ connection: connection.name }, "histories not stored: the connection is not registered");
    else log.warn({ err: error, connection: connection.name }, "histories read could not be stored; the next console start reads them again");
  }
}
