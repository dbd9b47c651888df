import type pg from "pg";
import type { TargetError } from "../../domain/executions";
import { expectedObjects, type ExpectedObject } from "./expected-objects";
import { ensureHistoryStates, ensureHistoryTable, insertHistoryRow, readTargetHistory } from "./history-repository";
import { ensureHistoryTracking } from "./history-tracking-repository";
import { findMissingObjects } from "./schema-objects-repository";
import { loadSqlParser } from "./sql-parser";
import { describeError } from "./target-errors";
import { acquireTargetLock, DEFAULT_LOCK_WAIT_MS, releaseTargetLock } from "./target-lock";
import { selectTargetMigrations, type WithClient } from "./target-run";
import type { Catalog, HistoryRow, HistoryState, Migration, Target } from "./types";
import { versionKey } from "../../domain/versions";
import { begin, commit, rollbackQuietly } from "./session-repository";

/**
 * Baselining: recording migrations as applied on a target without running them, because the target
 * already holds what they create (a fleet built before the console, by hand or by another tool).
 * Rows get state `baselined`, who asked, and no execution. The console never rolls them back.
 *
 * Before anything is written the target is checked for the objects those migrations would have
 * created (expected-objects.ts); a missing object refuses the target unless the caller allows it.
 * The write happens under the target's advisory lock, like an apply, with the history read again
 * under it, so an execution running meanwhile is never contradicted.
 */

/** What marking `ids` on a target with this history would do. */
export interface BaselineSelection {
  /** Selected migrations the history does not record yet, in catalog order: these get rows. */
  toMark: Migration[];
  /** Selected migrations the history already has, with their state (left as they are). */
  alreadyRecorded: { id: string; state: HistoryState }[];
}

export function baselineSelection(
  catalog: Catalog,
  target: Target,
  history: readonly HistoryRow[],
  ids: readonly string[],
): BaselineSelection {
  const recorded = new Map(history.map((r) => [versionKey(r.version), r.state]));
  const selection: BaselineSelection = { toMark: [], alreadyRecorded: [] };
  for (const m of selectTargetMigrations(catalog, target, ids)) {
    const state = recorded.get(versionKey(m.version));
    if (state) selection.alreadyRecorded.push({ id: m.id, state });
    else selection.toMark.push(m);
  }
  return selection;
}

/** The objects `migrations` create that the target does not hold (parser loaded on first use). */
export async function missingObjects(
  client: Pick<pg.ClientBase, "query">,
  target: Target,
  migrations: readonly Migration[],
): Promise<ExpectedObject[]> {
  if (migrations.length === 0) return [];
  await loadSqlParser();
  return findMissingObjects(client, target.schemaName, expectedObjects(migrations));
}

export interface BaselineTargetOptions {
  catalog: Catalog;
  target: Target;
  withClient: WithClient;
  /** The migrations to mark (of the target's tier); those already in the history are left alone. */
  migrationIds: readonly string[];
  /** Who asked, stored in each row's applied_by. */
  appliedBy: string;
  /** Write the rows even when objects are missing (the operator confirmed). */
  allowMissing: boolean;
  lockWaitMs?: number;
}

export type BaselineStatus = "baselined" | "nothing_to_mark" | "missing_objects" | "failed";

export interface BaselineTargetResult {
  target: Target;
  /** `missing_objects`: refused, nothing written; `failed`: the target could not be reached or locked. */
  status: BaselineStatus;
  /** Ids recorded as baselined by this call. */
  marked: string[];
  alreadyRecorded: BaselineSelection["alreadyRecorded"];
  /** Objects the marked migrations create that the target lacks (written anyway when allowed). */
  missing: ExpectedObject[];
  error?: TargetError;
}

/**
 * Marks the migrations on one target, checking its objects under the lock. Never throws for a
 * database problem: the result carries it.
 */
export async function baselineTarget(options: BaselineTargetOptions): Promise<BaselineTargetResult> {
  const { catalog, target } = options;
  const result: BaselineTargetResult = { target, status: "nothing_to_mark", marked: [], alreadyRecorded: [], missing: [] };
  try {
    await options.withClient(async (client) => {
      await acquireTargetLock(client, target, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
      try {
        const history = await readTargetHistory(client, target.schemaName);
        const selection = baselineSelection(catalog, target, history, options.migrationIds);
        result.alreadyRecorded = selection.alreadyRecorded;
        if (selection.toMark.length === 0) return;
        result.missing = await missingObjects(client, target, selection.toMark);
        if (result.missing.length > 0 && !options.allowMissing) {
          result.status = "missing_objects";
          return;
        }
        await writeBaselineRows(client, target, selection.toMark, options.appliedBy);
        result.marked = selection.toMark.map((m) => m.id);
        result.status = "baselined";
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

/** The history table (and its knowledge of `baselined`), then every row, in one transaction. */
async function writeBaselineRows(client: pg.ClientBase, target: Target, migrations: readonly Migration[], appliedBy: string) {
  await ensureHistoryTable(client, target.schemaName);
  await ensureHistoryTracking(client, target.schemaName);
  await begin(client);
  try {
    await ensureHistoryStates(client, target.schemaName);
    for (const m of migrations) {
      await insertHistoryRow(client, target.schemaName, {
        version: m.version,
        name: m.name,
        checksum: m.checksum,
        executionId: null,
        durationMs: null,
        appliedBy,
        state: "baselined",
      });
    }
    await commit(client);
  } catch (error) {
    await rollbackQuietly(client);
    throw error;
  }
}
