import type pg from "pg";
import type { TargetError } from "../../domain/executions";
import { elapsedMs } from "./run-statements";
import { describeConnectFailure, describeError, MigrationError } from "./target-errors";
import { acquireTargetLock, DEFAULT_LOCK_WAIT_MS, releaseTargetLock } from "./target-lock";
import { emit, outcomeOf, type EventHook, type MigrationOutcome, type WithClient } from "./target-run";
import type { HistoryRow, Migration, Target } from "./types";
import { VersionSet } from "../../domain/versions";
import { resetTargetSettings } from "./session-repository";

export type TargetRunStatus = "succeeded" | "failed" | "blocked" | "cancelled";

export interface TargetRunResult {
  target: Target;
  /** `blocked`: drift or an interrupted migration (error.code drift / needs_attention); nothing ran. */
  status: TargetRunStatus;
  /** Every selected migration: applied, skipped (already applied), failed, or still pending. */
  migrations: MigrationOutcome[];
  /** Migrations applied (or, for a rollback, reverted) by this run. */
  appliedCount: number;
  /** Why the target failed or is blocked; `transient` says whether a retry may help. */
  error?: TargetError;
  durationMs: number;
  /** The history as read under the lock before anything ran (absent when it could not be read). */
  history?: HistoryRow[];
}

/** A run's result before anything ran: every selected migration pending. */
export function pendingResult(target: Target, selected: readonly Migration[]): TargetRunResult {
  return { target, status: "succeeded", migrations: selected.map((m) => outcomeOf(m, "pending")), appliedCount: 0, durationMs: 0 };
}

export interface TargetStepsOptions {
  target: Target;
  withClient: WithClient;
  lockWaitMs?: number;
  onEvent?: EventHook;
  /** Cancellation: the running migration finishes, the ones after it are skipped. */
  signal?: AbortSignal;
  /**
   * Called once the target's lock is held, before anything runs: a caller whose `signal` is fed by
   * polling asks right then, so a cancel requested while the target waited for its lock is seen
   * before the first migration rather than at the next poll.
   */
  whenLocked?: () => Promise<void>;
  mode: "apply" | "revert";
  /** The migrations in the order they run; `result.migrations` holds their outcomes, same order. */
  selected: readonly Migration[];
  result: TargetRunResult;
  /** The target's history, read under the lock (so another execution's work is seen). */
  readHistory: (client: pg.ClientBase) => Promise<HistoryRow[]>;
  /** Drift or an interrupted migration: the target is blocked and nothing runs. */
  blockingProblem: (history: HistoryRow[]) => TargetError | null;
  /**
   * Nothing to do for this migration on this target (already applied; for a rollback, not applied).
   * `recorded` holds every version in the history, compared the catalog's way (`1` = `0001`).
   */
  skip: (migration: Migration, recorded: VersionSet) => boolean;
  /** Applies or reverts one migration together with its history row; throws on failure. */
  step: (client: pg.ClientBase, migration: Migration, t0: number) => Promise<void>;
}

/**
 * The run shared by applying and rolling back on one target: take the target's advisory lock, read
 * its history, stop if it is blocked, then one step per migration with its events, stopping at the
 * first failure or when cancelled. Never throws for a database problem: the result carries it.
 */
export async function runTargetSteps(options: TargetStepsOptions): Promise<TargetRunResult> {
  const { target, result, selected, signal, mode } = options;
  const started = performance.now();
  const outcomes = result.migrations;
  const doneStatus = mode === "apply" ? "applied" : "rolled_back";
  let connected = false;
  try {
    await options.withClient(async (client) => {
      connected = true;
      await acquireTargetLock(client, target, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
      try {
        await options.whenLocked?.();
        const history = await options.readHistory(client);
        result.history = history;
        const problem = options.blockingProblem(history);
        if (problem) {
          result.status = "blocked";
          result.error = problem;
          return;
        }
        const applied = new VersionSet(history.map((r) => r.version));
        for (const [i, migration] of selected.entries()) {
          const outcome = outcomes[i]!;
          if (options.skip(migration, applied)) {
            outcome.status = "skipped";
            continue;
          }
          if (signal?.aborted) {
            result.status = "cancelled";
            for (const rest of outcomes.slice(i)) if (rest.status === "pending") rest.status = "skipped";
            break;
          }
          await emit(options.onEvent, { type: "migration_started", target, migrationId: migration.id, mode });
          const t0 = performance.now();
          try {
            await options.step(client, migration, t0);
            outcome.status = doneStatus;
            result.appliedCount++;
          } catch (error) {
            outcome.status = "failed";
            outcome.error = error instanceof MigrationError ? error.targetError : describeError(error, { migration });
            result.status = "failed";
            result.error = outcome.error;
          }
          outcome.durationMs = elapsedMs(t0);
          await emit(options.onEvent, {
            type: "migration_finished",
            target,
            migrationId: migration.id,
            mode,
            status: outcome.status,
            durationMs: outcome.durationMs,
            error: outcome.error,
          });
          if (result.status === "failed") break;
        }
      } finally {
        // If the connection broke, the server already dropped the lock with the session.
        await releaseTargetLock(client, target).catch(() => {});
        await resetTargetSettings(client).catch(() => {});
      }
    });
  } catch (error) {
    result.status = "failed";
    result.error = connected ? describeError(error) : describeConnectFailure(error);
  }
  result.durationMs = elapsedMs(started);
  return result;
}
