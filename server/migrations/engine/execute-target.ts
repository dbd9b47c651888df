import type pg from "pg";
import type { TargetError } from "../../db/schema";
import { getSettings } from "../../config/settings";
import { ensureHistoryTable, finishHistoryRow, insertHistoryRow, readTargetHistory } from "./history";
import { applyTargetSettings, elapsedMs, resetTargetSettings, runPart } from "./run-statements";
import { describeError, MigrationError } from "./target-errors";
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
import type { Catalog, Migration, Target } from "./types";

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
}

export type TargetRunStatus = "succeeded" | "failed" | "blocked" | "cancelled";

export interface TargetRunResult {
  target: Target;
  /** `blocked`: drift or an interrupted migration (error.code drift / needs_attention); nothing ran. */
  status: TargetRunStatus;
  /** Every selected migration: applied, skipped (already applied), failed, or still pending. */
  migrations: MigrationOutcome[];
  appliedCount: number;
  /** Why the target failed or is blocked; `transient` says whether a retry may help. */
  error?: TargetError;
  durationMs: number;
}

/**
 * Applies a target's pending migrations, exactly once each, under the target's advisory lock.
 *
 * The history is read again once the lock is held, so a migration another execution applied in the
 * meantime is skipped, and each transactional migration commits together with its history row: a
 * crash or a retry can neither lose nor repeat one. Never throws for a database problem; the result
 * carries it (with `transient` set for connection-level failures worth a retry).
 */
export async function executeTarget(options: ExecuteTargetOptions): Promise<TargetRunResult> {
  const { catalog, target, signal } = options;
  const started = performance.now();
  const selected = selectTargetMigrations(catalog, target, options.migrationIds);
  const outcomes = selected.map((m) => outcomeOf(m, "pending"));
  const result: TargetRunResult = { target, status: "succeeded", migrations: outcomes, appliedCount: 0, durationMs: 0 };
  const defaultTimeoutMs = (options.timeoutSeconds ?? getSettings().migrations.timeoutSeconds) * 1000;
  const ctx = { schema: target.schemaName, executionId: options.executionId ?? null, appliedBy: options.appliedBy ?? null };

  try {
    await options.withClient(async (client) => {
      await acquireTargetLock(client, target, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
      try {
        await ensureHistoryTable(client, target.schemaName);
        const history = await readTargetHistory(client, target.schemaName);
        const problem = blockingProblem(catalog, target, history);
        if (problem) {
          result.status = "blocked";
          result.error = problem;
          return;
        }
        const applied = new Set(history.map((r) => r.version));
        for (const [i, migration] of selected.entries()) {
          const outcome = outcomes[i]!;
          if (applied.has(migration.version)) {
            outcome.status = "skipped";
            continue;
          }
          if (signal?.aborted) {
            result.status = "cancelled";
            for (const rest of outcomes.slice(i)) if (rest.status === "pending") rest.status = "skipped";
            break;
          }
          await emit(options.onEvent, { type: "migration_started", target, migrationId: migration.id, mode: "apply" });
          const t0 = performance.now();
          const timeoutMs = migration.timeoutMs ?? defaultTimeoutMs;
          try {
            if (migration.transactional) await applyInTransaction(client, migration, timeoutMs, t0, ctx);
            else await applyOutsideTransaction(client, migration, timeoutMs, t0, ctx);
            outcome.status = "applied";
            outcome.durationMs = elapsedMs(t0);
            result.appliedCount++;
          } catch (error) {
            outcome.status = "failed";
            outcome.durationMs = elapsedMs(t0);
            outcome.error = error instanceof MigrationError ? error.targetError : describeError(error, { migration });
            result.status = "failed";
            result.error = outcome.error;
          }
          await emit(options.onEvent, {
            type: "migration_finished",
            target,
            migrationId: migration.id,
            mode: "apply",
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
    result.error = describeError(error);
  }
  result.durationMs = elapsedMs(started);
  return result;
}

interface RunContext {
  schema: string;
  executionId: string | null;
  appliedBy: string | null;
}

async function applyInTransaction(client: pg.ClientBase, m: Migration, timeoutMs: number, t0: number, ctx: RunContext) {
  await client.query("begin");
  try {
    await applyTargetSettings(client, ctx.schema, timeoutMs, true);
    await runPart(client, m, m.up);
    await insertHistoryRow(client, ctx.schema, {
      version: m.version,
      name: m.name,
      checksum: m.checksum,
      executionId: ctx.executionId,
      durationMs: elapsedMs(t0),
      appliedBy: ctx.appliedBy,
      state: "applied",
    });
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
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
