import type pg from "pg";
import { getSettings } from "../../config/settings";
import { deleteHistoryRow, finishHistoryRow, historyDeleteSql, markHistoryStarted, readTargetHistory } from "./history-repository";
import { runInOneMessage } from "./migration-message";
import { elapsedMs, runPart } from "./run-statements";
import { pendingResult, runTargetSteps, type TargetRunResult } from "./run-target-steps";
import { blockingProblem, selectTargetMigrations, type EventHook, type WithClient } from "./target-run";
import type { Catalog, HistoryRow, Migration, Target } from "./types";
import { applyTargetSettings, localSettingsSql, rollbackQuietly } from "./session-repository";
import type { TargetError } from "../../domain/executions";
import { VersionSet, versionKey } from "../../domain/versions";

export interface RevertTargetOptions {
  catalog: Catalog;
  target: Target;
  withClient: WithClient;
  /** The migrations to undo, e.g. exactly the ones an execution applied on this target. */
  migrationIds: readonly string[];
  /**
   * Undo only history rows this execution wrote: a migration since reverted and applied again by
   * another execution is not this one's to undo, and is skipped.
   */
  onlyExecutionId?: string | null;
  timeoutSeconds?: number;
  lockWaitMs?: number;
  onEvent?: EventHook;
  signal?: AbortSignal;
  /** See TargetStepsOptions.whenLocked. */
  whenLocked?: () => Promise<void>;
}

/** Files among `ids` that have no down part; a rollback naming any of them must be refused. */
export function missingDownParts(catalog: Catalog, ids: readonly string[]): string[] {
  return ids.map((id) => catalog.byId.get(id)).filter((m): m is Migration => !!m && m.down === null).map((m) => m.file);
}

/**
 * Undoes migrations on one target: their down parts in reverse dependency order, each in one
 * transaction with the deletion of its history row (`transaction: false` files statement by
 * statement, their row marked `started` until done). Migrations not applied on the target (or, with
 * `onlyExecutionId`, applied by another execution) are skipped. Refuses before connecting when any
 * of them lacks a down part, and before running anything when the history, read under the lock,
 * records one of them as baselined: the console never undoes what it did not run.
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
  let rows = new Map<string, HistoryRow>();
  return runTargetSteps({
    ...options,
    mode: "revert",
    selected,
    result,
    readHistory: async (client) => {
      const history = await readTargetHistory(client, target.schemaName);
      rows = new Map(history.map((r) => [versionKey(r.version), r]));
      return history;
    },
    blockingProblem: (history) => blockingProblem(catalog, target, history, reverting) ?? baselinedProblem(selected, history),
    skip: (migration, applied) => {
      if (!applied.has(migration.version)) return true;
      const only = options.onlyExecutionId;
      return !!only && rows.get(versionKey(migration.version))?.executionId !== only;
    },
    step: (client, migration, t0) => revertOne(client, target.schemaName, migration, migration.timeoutMs ?? defaultTimeoutMs, t0),
  });
}

/** A migration to undo that the target records as baselined: marked by an operator, never run here. */
export function baselinedProblem(selected: readonly Migration[], history: readonly HistoryRow[]): TargetError | null {
  const baselined = new VersionSet(history.filter((r) => r.state === "baselined").map((r) => r.version));
  const files = selected.filter((m) => baselined.has(m.version)).map((m) => m.file);
  if (files.length === 0) return null;
  return {
    code: "baselined",
    message: `${files.join(", ")} ${files.length === 1 ? "is" : "are"} baselined on this target (marked as applied, never run by the console), so the console does not roll ${files.length === 1 ? "it" : "them"} back`,
    file: files[0],
    transient: false,
  };
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
