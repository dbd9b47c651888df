import type pg from "pg";
import { getSettings } from "../../config/settings";
import type { TargetError } from "../../domain/executions";
import { VersionSet, versionKey } from "../../domain/versions";
import { historyDeleteSql, readTargetHistory } from "./history-repository";
import { runInOneMessage } from "./migration-message";
import { existingRelations, newLocks } from "./rehearse-target";
import { baselinedProblem, missingDownParts } from "./revert-target";
import { elapsedMs } from "./run-statements";
import {
  begin,
  localSettingsSql,
  RELEASE_REHEARSAL_SAVEPOINT_SQL,
  REHEARSAL_SAVEPOINT_SQL,
  resetTargetSettings,
  rollbackQuietly,
  rollbackToRehearsalSavepoint,
} from "./session-repository";
import { describeConnectFailure, describeError, isTransientError, MigrationError } from "./target-errors";
import { acquireTargetLock, DEFAULT_LOCK_WAIT_MS, releaseTargetLock } from "./target-lock";
import {
  blockingProblem,
  emit,
  outcomeOf,
  selectTargetMigrations,
  type EventHook,
  type MigrationOutcome,
  type WithClient,
} from "./target-run";
import { targetKey, type Catalog, type HistoryRow, type Migration, type Target } from "./types";

/** One target's part of a rehearsed rollback: what to undo, and whose history rows count. */
export interface RevertPart {
  target: Target;
  migrationIds: readonly string[];
  /** Undo only rows this execution wrote (as revertTarget does); others are skipped. */
  onlyExecutionId?: string | null;
}

export interface RehearseRevertOptions extends RevertPart {
  catalog: Catalog;
  withClient: WithClient;
  /**
   * Rollbacks of other targets in the same database that must run before this one's (the tenants
   * whose migrations require what a region's shared target undoes): rehearsed first, inside the
   * same transaction, so this target's down parts see them done.
   */
  before?: readonly RevertPart[];
  timeoutSeconds?: number;
  lockWaitMs?: number;
  onEvent?: EventHook;
}

export interface RevertRehearsalResult {
  target: Target;
  /** `would_fail` when a down part would fail; `blocked` (drift, interrupted, baselined) and `failed` ran nothing. */
  status: "would_revert" | "would_fail" | "blocked" | "failed";
  /** Newest first: would_revert (with the locks taken), would_fail (the real error), not_rehearsable, skipped. */
  migrations: MigrationOutcome[];
  before: { target: Target; migrations: MigrationOutcome[] }[];
  error?: TargetError;
  durationMs: number;
}

/**
 * Dry-run of a rollback on the real target: the down parts run newest first, each with the
 * deletion of its history row, inside ONE transaction that is always rolled back, a savepoint per
 * migration so an error is pinned to its file and the older ones still run against the rest.
 * `transaction: false` down parts are reported as not rehearsable. The target's lock is held
 * throughout, and its history is read under it with the same checks as a real rollback.
 */
export async function rehearseRevert(options: RehearseRevertOptions): Promise<RevertRehearsalResult> {
  const { catalog, target } = options;
  const started = performance.now();
  const defaultTimeoutMs = (options.timeoutSeconds ?? getSettings().migrations.timeoutSeconds) * 1000;
  const order = new Map(catalog.migrations.map((m, i) => [m.id, i]));
  const parts = [...(options.before ?? []), options].map((p) => {
    if (p.target.connectionId !== target.connectionId || p.target.databaseName !== target.databaseName) {
      throw new Error(`${targetKey(p.target)} is not in the same database as ${targetKey(target)}`);
    }
    const selected = selectTargetMigrations(catalog, p.target, p.migrationIds).sort((a, b) => order.get(b.id)! - order.get(a.id)!);
    return { part: p, selected, outcomes: selected.map((m) => outcomeOf(m, "pending")) };
  });
  const own = parts[parts.length - 1]!;
  const result: RevertRehearsalResult = {
    target,
    status: "would_revert",
    migrations: own.outcomes,
    before: parts.slice(0, -1).map((p) => ({ target: p.part.target, migrations: p.outcomes })),
    durationMs: 0,
  };
  const missing = missingDownParts(catalog, parts.flatMap((p) => p.part.migrationIds));
  if (missing.length > 0) {
    result.status = "failed";
    result.error = { code: "no_down_migration", message: `no down part in ${missing.join(", ")}`, file: missing[0], transient: false };
    return result;
  }

  let connected = false;
  try {
    await options.withClient(async (client) => {
      connected = true;
      const locked: Target[] = [];
      try {
        for (const p of parts) {
          await acquireTargetLock(client, p.part.target, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
          locked.push(p.part.target);
        }
        for (const p of parts) {
          const history = await readTargetHistory(client, p.part.target.schemaName);
          const reverting = new Set(p.selected.map((m) => m.id));
          const problem = blockingProblem(catalog, p.part.target, history, reverting) ?? baselinedProblem(p.selected, history);
          if (problem) {
            result.status = "blocked";
            result.error = problem;
            return;
          }
          markSkipped(p.selected, p.outcomes, history, p.part.onlyExecutionId);
        }
        await begin(client);
        try {
          const schemas = [...new Set(["public", ...parts.map((p) => p.part.target.schemaName)])];
          const existing = await existingRelations(client, schemas);
          const held = new Set<string>();
          for (const p of parts) {
            for (const [i, migration] of p.selected.entries()) {
              const outcome = p.outcomes[i]!;
              if (outcome.status === "skipped") continue;
              const timeoutMs = migration.timeoutMs ?? defaultTimeoutMs;
              await rehearseDown(client, p.part.target, migration, outcome, timeoutMs, existing, held, options.onEvent);
              if (outcome.status === "would_fail") result.status = "would_fail";
            }
          }
        } finally {
          await rollbackQuietly(client);
        }
      } finally {
        for (const t of locked) await releaseTargetLock(client, t).catch(() => {});
        await resetTargetSettings(client).catch(() => {});
      }
    });
  } catch (error) {
    result.status = "failed";
    result.error =
      error instanceof MigrationError ? error.targetError : connected ? describeError(error) : describeConnectFailure(error);
  }
  result.durationMs = elapsedMs(started);
  return result;
}

/** What the history does not record (or, with `only`, records as another execution's) is not undone. */
function markSkipped(selected: readonly Migration[], outcomes: MigrationOutcome[], history: readonly HistoryRow[], only?: string | null) {
  const recorded = new VersionSet(history.map((r) => r.version));
  const byVersion = new Map(history.map((r) => [versionKey(r.version), r]));
  selected.forEach((m, i) => {
    const mine = !only || byVersion.get(versionKey(m.version))?.executionId === only;
    if (!recorded.has(m.version) || !mine) outcomes[i]!.status = "skipped";
  });
}

async function rehearseDown(
  client: pg.ClientBase,
  target: Target,
  migration: Migration,
  outcome: MigrationOutcome,
  timeoutMs: number,
  existing: ReadonlyMap<number, string>,
  held: Set<string>,
  onEvent: EventHook | undefined,
) {
  if (!migration.transactional) {
    outcome.status = "not_rehearsable";
    outcome.error = {
      code: "not_rehearsable",
      message: `${migration.file} runs outside a transaction ("transaction: false"), so its down part cannot be rehearsed and rolled back`,
      file: migration.file,
      transient: false,
    };
    return;
  }
  await emit(onEvent, { type: "migration_started", target, migrationId: migration.id, mode: "rehearse" });
  const t0 = performance.now();
  try {
    await runInOneMessage(client, migration, migration.down!, {
      before: [REHEARSAL_SAVEPOINT_SQL, ...localSettingsSql(target.schemaName, timeoutMs)],
      after: [historyDeleteSql(target.schemaName, migration.version), RELEASE_REHEARSAL_SAVEPOINT_SQL],
    });
    outcome.status = "would_revert";
    outcome.durationMs = elapsedMs(t0);
    outcome.locks = await newLocks(client, existing, held);
  } catch (error) {
    const detail = error instanceof MigrationError ? error.targetError : describeError(error, { migration, part: migration.down! });
    // A lost connection or a lock conflict says nothing about the down part: the rehearsal failed.
    if (detail.transient || isTransientError(error)) throw new MigrationError(detail);
    await rollbackToRehearsalSavepoint(client);
    outcome.status = "would_fail";
    outcome.durationMs = elapsedMs(t0);
    outcome.error = detail;
  }
  await emit(onEvent, {
    type: "migration_finished",
    target,
    migrationId: migration.id,
    mode: "rehearse",
    status: outcome.status,
    durationMs: outcome.durationMs ?? 0,
    error: outcome.error,
  });
}
