import type { TargetError } from "../../domain/executions";
import { countsAsApplied, isInterrupted, type HistoryState } from "../../domain/history";
import { acceptDrift, readTargetHistory, resolveInterrupted } from "./history-repository";
import { describeError } from "./target-errors";
import { acquireTargetLock, DEFAULT_LOCK_WAIT_MS, releaseTargetLock } from "./target-lock";
import type { WithClient } from "./target-run";
import type { Catalog, HistoryRow, Target } from "./types";
import { versionKey } from "../../domain/versions";
import { begin, commit, rollbackQuietly } from "./session-repository";

/**
 * An operator settles what blocks a target, without running a migration:
 *  - `accept_drift`: an applied file changed since; the history takes the file's current checksum
 *    (the old one is returned, for the audit trail);
 *  - `mark_applied`: an interrupted `transaction: false` migration did finish (the operator looked);
 *  - `retry`: it did not; its row is removed so the next execution runs it again.
 * Under the target's advisory lock, with the history read under it and every change in one
 * transaction. A finding that is no longer there (someone resolved it meanwhile) is left out of the
 * result rather than failing the call.
 */

export type ResolveAction = "accept_drift" | "mark_applied" | "retry";

export interface ResolveTargetOptions {
  catalog: Catalog;
  target: Target;
  withClient: WithClient;
  action: ResolveAction;
  /** Catalog ids (`tenant/0002_contacts`); for an interrupted row no longer in the catalog, the same shape. */
  migrationIds: readonly string[];
  lockWaitMs?: number;
}

export interface ResolvedChange {
  id: string;
  version: string;
  action: ResolveAction;
  stateBefore: HistoryState;
  checksumBefore: string;
  /** The checksum recorded now (the file's, for accepted drift); null when the row was removed. */
  checksumAfter: string | null;
}

export interface ResolveTargetResult {
  target: Target;
  status: "resolved" | "nothing_to_resolve" | "failed";
  changes: ResolvedChange[];
  error?: TargetError;
}

/** The rows `action` would change on a target with this history: what a plan shows as findings. */
export function resolvableRows(
  catalog: Catalog,
  target: Target,
  history: readonly HistoryRow[],
  action: ResolveAction,
  ids: readonly string[],
): { row: HistoryRow; id: string; checksumAfter: string | null }[] {
  const wanted = new Map<string, string>();
  for (const id of ids) {
    const [tier, rest] = id.split("/");
    const version = rest?.split("_")[0];
    if (tier === target.tier && version) wanted.set(versionKey(version), id);
  }
  const out: { row: HistoryRow; id: string; checksumAfter: string | null }[] = [];
  for (const row of history) {
    const id = wanted.get(versionKey(row.version));
    if (!id) continue;
    if (action === "accept_drift") {
      const file = catalog.byId.get(id);
      if (file && countsAsApplied(row.state) && file.checksum !== row.checksum) out.push({ row, id, checksumAfter: file.checksum });
    } else if (isInterrupted(row.state)) {
      out.push({ row, id, checksumAfter: action === "retry" ? null : row.checksum });
    }
  }
  return out;
}

export async function resolveTarget(options: ResolveTargetOptions): Promise<ResolveTargetResult> {
  const { catalog, target, action } = options;
  const result: ResolveTargetResult = { target, status: "nothing_to_resolve", changes: [] };
  try {
    await options.withClient(async (client) => {
      await acquireTargetLock(client, target, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
      try {
        const history = await readTargetHistory(client, target.schemaName);
        const rows = resolvableRows(catalog, target, history, action, options.migrationIds);
        if (rows.length === 0) return;
        await begin(client);
        try {
          for (const { row, checksumAfter } of rows) {
            const changed =
              action === "accept_drift"
                ? await acceptDrift(client, target.schemaName, row.version, checksumAfter!)
                : await resolveInterrupted(client, target.schemaName, row.version, action === "retry" ? "retry" : "completed");
            if (!changed) throw new Error(`history row ${row.version} of ${target.schemaName} changed under the lock`);
          }
          await commit(client);
        } catch (error) {
          await rollbackQuietly(client);
          throw error;
        }
        result.changes = rows.map(({ row, id, checksumAfter }) => ({
          id,
          version: row.version,
          action,
          stateBefore: row.state,
          checksumBefore: row.checksum,
          checksumAfter,
        }));
        result.status = "resolved";
      } finally {
        await releaseTargetLock(client, target).catch(() => {});
      }
    });
  } catch (error) {
    result.status = "failed";
    result.error = describeError(error);
  }
  return result;
}
