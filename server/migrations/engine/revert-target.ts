import type pg from "pg";
import { getSettings } from "../../config/settings";
import { deleteHistoryRow, finishHistoryRow, historyDeleteSql, markHistoryStarted, readTargetHistory } from "./history-repository";
import { runInOneMessage } from "./migration-message";
import { elapsedMs, runPart } from "./run-statements";
import { pendingResult, runTargetSteps, type TargetRunResult } from "./run-target-steps";
import { blockingProblem, selectTargetMigrations, type EventHook, type WithClient } from "./target-run";
import type { Catalog, Migration, Target } from "./types";
import { applyTargetSettings, localSettingsSql, rollbackQuietly } from "./session-repository";

export interface RevertTargetOptions {
  catalog: Catalog;
  target: Target;
  withClient: WithClient;
  /** The migrations to undo, e.g. exactly the ones an execution applied on this target. */
  migrationIds: readonly string[];
  timeoutSeconds?: number;
  lockWaitMs?: number;
  onEvent?: EventHook;
  signal?: AbortSignal;
}

/** Files among `ids` that have no down part; a rollback naming any of them must be refused. */
export function missingDownParts(catalog: Catalog, ids: readonly string[]): string[] {
  return ids.map((id) => catalog.byId.get(id)).filter((m): m is Migration => !!m && m.down === null).map((m) => m.file);
}

/**
 * Undoes migrations on one target: their down parts in reverse dependency order, each in one
 * transaction with the deletion of its history row (`transaction: false` files statement by
 * statement, their row marked `started` until done). Migrations not applied on the target are
 * skipped. Refuses before connecting when any of them lacks a down part.
 */
export async function revertTarget(options: RevertTargetOptions): Promise<TargetRunResult> {
  const { catalog, target } = options;
  const order = new Map(catalog.migrations.map((m, i) => [m.id, i]));
  const selected = selectTargetMigrations(catalog, target, options.migrationIds).sort(
    (a, b) => order.get(b.id)! - order.get(a.id)!,
  );
  const result = pendingResult(target, selected);
  const missing = missingDownParts(catalog, options.migrationIds);
  if (missing.length > 0) {
    result.status = "failed";
    result.error = { code: "no_down_migration", message: `no down part in ${missing.join(", ")}`, file: missing[0], transient: false };
    return result;
  }
  const defaultTimeoutMs = (options.timeoutSeconds ?? getSettings().migrations.timeoutSeconds) * 1000;
  const reverting = new Set(selected.map((m) => m.id));
  return runTargetSteps({
    ...options,
    mode: "revert",
    selected,
    result,
    readHistory: (client) => readTargetHistory(client, target.schemaName),
    blockingProblem: (history) => blockingProblem(catalog, target, history, reverting),
    skip: (migration, applied) => !applied.has(migration.version),
    step: (client, migration, t0) => revertOne(client, target.schemaName, migration, migration.timeoutMs ?? defaultTimeoutMs, t0),
  });
}

async function revertOne(client: pg.ClientBase, schema: string, m: Migration, timeoutMs: number, t0: number) {
  const down = m.down!;
  if (!m.transactional) {
    await applyTargetSettings(client, schema, timeoutMs, false);
    await markHistoryStarted(client, schema, m.version);
    try {
      await runPart(client, m, down);
    } catch (error) {
      await finishHistoryRow(client, schema, m.version, "failed", elapsedMs(t0)).catch(() => {});
      throw error;
    }
    await deleteHistoryRow(client, schema, m.version);
    return;
  }
  // BEGIN, the settings, the down part, the history row's deletion and COMMIT in one message.
  try {
    await runInOneMessage(client, m, down, {
      before: ["begin", ...localSettingsSql(schema, timeoutMs)],
      after: [historyDeleteSql(schema, m.version), "commit"],
    });
  } catch (error) {
    await rollbackQuietly(client);
    throw error;
  }
}
