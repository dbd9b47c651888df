import type pg from "pg";
import { getSettings } from "../../config/settings";
import { ensureHistoryTable, finishHistoryRow, historyInsertSql, insertHistoryRow, readExistingHistory } from "./history-repository";
import { ensureHistoryTracking } from "./history-tracking-repository";
import { runInOneMessage } from "./migration-message";
import { elapsedMs, runPart } from "./run-statements";
import { pendingResult, runTargetSteps, type TargetRunResult } from "./run-target-steps";
import { blockingProblem, selectTargetMigrations, type EventHook, type WithClient } from "./target-run";
import type { Catalog, Migration, Target } from "./types";
import { applyTargetSettings, localSettingsSql, rollbackQuietly } from "./session-repository";

export interface ExecuteTargetOptions {
  catalog: Catalog;
  target: Target;
  withClient: WithClient;
  /** The migrations to apply (a plan's pending list for the target); default: all of its tier. */
  migrationIds?: readonly string[];
  executionId?: string | null;
  /** Who asked (the operator's user name), stored in each history row. */
  appliedBy?: string | null;
  /** Per-statement and lock timeout when the file sets none; default MIGRATION_TIMEOUT. */
  timeoutSeconds?: number;
  /** How long to wait for another execution to release the target; default 30 s. */
  lockWaitMs?: number;
  onEvent?: EventHook;
  /** Cancellation: the running migration finishes, the ones after it are skipped. */
  signal?: AbortSignal;
  /** See TargetStepsOptions.whenLocked. */
  whenLocked?: () => Promise<void>;
}

export type { TargetRunResult, TargetRunStatus } from "./run-target-steps";

/**
 * Applies a target's pending migrations, exactly once each, under the target's advisory lock.
 *
 * The history is read again once the lock is held, so a migration another execution applied in the
 * meantime is skipped, and each transactional migration commits together with its history row: a
 * crash or a retry can neither lose nor repeat one. Never throws for a database problem; the result
 * carries it (with `transient` set for connection-level failures worth a retry).
 */
export async function executeTarget(options: ExecuteTargetOptions): Promise<TargetRunResult> {
  const { catalog, target } = options;
  const selected = selectTargetMigrations(catalog, target, options.migrationIds);
  const result = pendingResult(target, selected);
  const defaultTimeoutMs = (options.timeoutSeconds ?? getSettings().migrations.timeoutSeconds) * 1000;
  const ctx = { schema: target.schemaName, executionId: options.executionId ?? null, appliedBy: options.appliedBy ?? null };
  return runTargetSteps({
    ...options,
    mode: "apply",
    selected,
    result,
    // A table created just now is empty: a new tenant's history costs no read. Under the target's
    // lock, the table gets its change trigger if it has none yet (history-tracking-repository.ts).
    readHistory: async (client) => {
      const created = await ensureHistoryTable(client, target.schemaName);
      await ensureHistoryTracking(client, target.schemaName);
      return created ? [] : readExistingHistory(client, target.schemaName);
    },
    blockingProblem: (history) => blockingProblem(catalog, target, history),
    skip: (migration, applied) => applied.has(migration.version),
    step: (client, migration, t0) => {
      const timeoutMs = migration.timeoutMs ?? defaultTimeoutMs;
      return migration.transactional
        ? applyInTransaction(client, migration, timeoutMs, ctx)
        : applyOutsideTransaction(client, migration, timeoutMs, t0, ctx);
    },
  });
}

interface RunContext {
  schema: string;
  executionId: string | null;
  appliedBy: string | null;
}

/**
 * BEGIN, the local settings, the up part, the history row and COMMIT in one message (see
 * migration-message.ts): the migration and its row commit together or not at all.
 */
async function applyInTransaction(client: pg.ClientBase, m: Migration, timeoutMs: number, ctx: RunContext) {
  try {
    await runInOneMessage(client, m, m.up, {
      before: ["begin", ...localSettingsSql(ctx.schema, timeoutMs)],
      after: [
        historyInsertSql(ctx.schema, {
          version: m.version,
          name: m.name,
          checksum: m.checksum,
          executionId: ctx.executionId,
          durationMs: "elapsed",
          appliedBy: ctx.appliedBy,
          state: "applied",
        }),
        "commit",
      ],
    });
  } catch (error) {
    await rollbackQuietly(client);
    throw error;
  }
}

/**
 * Statements PostgreSQL refuses in a transaction block run one by one in autocommit. A `started`
 * row goes in first and becomes `applied` (or `failed`) after, so a run cut short leaves a trace
 * the next execution reports as needing attention instead of running the file a second time.
 */
async function applyOutsideTransaction(client: pg.ClientBase, m: Migration, timeoutMs: number, t0: number, ctx: RunContext) {
  await applyTargetSettings(client, ctx.schema, timeoutMs, false);
  await insertHistoryRow(client, ctx.schema, {
    version: m.version,
    name: m.name,
    checksum: m.checksum,
    executionId: ctx.executionId,
    durationMs: null,
    appliedBy: ctx.appliedBy,
    state: "started",
  });
  try {
    await runPart(client, m, m.up);
  } catch (error) {
    await finishHistoryRow(client, ctx.schema, m.version, "failed", elapsedMs(t0)).catch(() => {});
    throw error;
  }
  await finishHistoryRow(client, ctx.schema, m.version, "applied", elapsedMs(t0));
}
