import { getSettings } from "../../config/settings";
import { describeConnectionError } from "../../fleet/connection-error";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { withFleetClient } from "../../fleet/fleet-client";
import { readHistoryTables } from "../engine/history-repository";
import { readHistoryMarkers } from "../engine/history-tracking-repository";
import { targetKey, type HistoryRow, type Target } from "../engine/types";
import { lookUpHistories, rememberHistories } from "./history-cache";
import { recallHistories, storeHistories } from "./history-store";

/**
 * Every target's history, read in bulk: per database, one catalog query says which schemas have a
 * history table and whether it changed since this process last read it (history-cache.ts) or any
 * console stored it (history-store.ts), then sessions from the fleet pools read the others in
 * batches (readHistoryTables) and they are stored, databases in parallel. A database that cannot be read is reported, not thrown: the plan still covers the rest
 * of the fleet, and its targets are shown as unreachable (an execution still tries them, with
 * retries).
 */

export interface UnreachableDatabase {
  connectionId: string;
  connectionName: string;
  code: string | null;
  message: string;
}

export interface FleetHistories {
  histories: Map<string, HistoryRow[]>;
  unreachable: Map<string, UnreachableDatabase>;
}

/** Databases read at the same time. */
const DATABASE_CONCURRENCY = 8;
/**
 * Past this many schemas in one database, the read is split over several sessions of its pool:
 * the server's share of the work (loading each table's catalog entries on first touch) then runs on
 * more than one backend.
 */
const SCHEMAS_PER_SESSION = 2_500;

export async function readFleetHistories(
  targets: readonly Target[],
  connections: ReadonlyMap<string, ResolvedConnection>,
): Promise<FleetHistories> {
  const byConnection = new Map<string, Set<string>>();
  for (const t of targets) {
    let schemas = byConnection.get(t.connectionId);
    if (!schemas) byConnection.set(t.connectionId, (schemas = new Set()));
    schemas.add(t.schemaName);
  }
  const histories = new Map<string, HistoryRow[]>();
  const unreachable = new Map<string, UnreachableDatabase>();
  const sessionsPerDb = Math.max(1, getSettings().fleet.maxPerConnection - 1);

  const work = [...byConnection.entries()];
  let next = 0;
  const runner = async () => {
    while (next < work.length) {
      const [connectionId, schemaSet] = work[next++]!;
      const connection = connections.get(connectionId);
      if (!connection) continue;
      const schemas = [...schemaSet];
      try {
        const { logId, tables } = await withFleetClient(connection, (client) => readHistoryMarkers(client, schemas));
        const { hits, misses } = lookUpHistories(connection, logId, tables);
        // Not in memory (a console just started, or another one read them): the control plane's copy.
        const recalled = await recallHistories(connection, logId, tables, misses);
        const toRead = recalled.size > 0 ? misses.filter((s) => !recalled.has(s)) : misses;
        const parts = Math.min(sessionsPerDb, Math.ceil(toRead.length / SCHEMAS_PER_SESSION));
        const size = Math.ceil(toRead.length / Math.max(1, parts));
        const results = await Promise.all(
          Array.from({ length: parts }, (_, i) =>
            withFleetClient(connection, (client) => readHistoryTables(client, toRead.slice(i * size, (i + 1) * size))),
          ),
        );
        const read = new Map<string, HistoryRow[]>();
        for (const result of results) for (const [schema, rows] of result) read.set(schema, rows);
        rememberHistories(connection, logId, tables, recalled);
        rememberHistories(connection, logId, tables, read);
        await storeHistories(connection, logId, tables, read);
        for (const schema of schemas) {
          histories.set(targetKey({ connectionId, schemaName: schema }), hits.get(schema) ?? recalled.get(schema) ?? read.get(schema) ?? []);
        }
      } catch (error) {
        const { code, message } = describeConnectionError(error, connection.password);
        unreachable.set(connectionId, { connectionId, connectionName: connection.name, code, message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DATABASE_CONCURRENCY, work.length) }, runner));
  return { histories, unreachable };
}
