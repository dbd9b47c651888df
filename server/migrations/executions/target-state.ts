import { sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { executions, executionTargets, type TargetError, type TargetMigrationResult } from "../../db/schema";
import { enqueueTargetJobs } from "../../jobs/queue";
import { appendEvents, type NewEvent } from "./events";
import { estimateCompletion, progressView } from "./progress";
import * as repo from "./repository";

/**
 * Every change of a target's state, each in one control-plane transaction together with the
 * execution's counters, its events and (for retries and waits) the target's next job.
 *
 * Lock order is always the execution row first, then target rows: the cancel path locks the
 * execution and then skips queued targets, so taking them in the other order could deadlock.
 * Transitions are compare-and-set on the target's status, so a duplicate job, a job re-run after a
 * crash, or a cancel racing a worker never count a target twice.
 */

export const targetLabel = (t: { connectionName: string; schemaName: string }) => `${t.connectionName}/${t.schemaName}`;

export function progressOf(row: repo.ExecutionRow) {
  return progressView({
    totalTargets: row.totalTargets,
    completedTargets: row.completedTargets,
    failedTargets: row.failedTargets,
    skippedTargets: row.skippedTargets,
    currentTarget: row.currentTarget,
    estimatedCompletion: row.estimatedCompletion,
  });
}

/** queued/running → running, one more attempt. Null when the target or execution may not start. */
export async function startTarget(executionId: string, targetId: string): Promise<{ attempt: number; target: repo.TargetRow } | null> {
  return getDb().transaction(async (tx) => {
    const execution = await repo.lockExecution(tx, executionId);
    if (!execution || execution.status !== "in_progress" || execution.cancelRequestedAt) return null;
    const target = await repo.transitionTarget(tx, targetId, ["pending", "running"], {
      status: "running",
      attempts: sql`${executionTargets.attempts} + 1`,
      startedAt: sql`coalesce(${executionTargets.startedAt}, now())`,
      nextAttemptAt: null,
      waitingSince: null,
    });
    if (!target) return null;
    const label = targetLabel(target);
    const updated = await repo.updateExecution(tx, executionId, {
      currentTarget: label,
      startedAt: sql`coalesce(${executions.startedAt}, now())`,
    });
    await appendEvents(tx, executionId, [
      {
        type: "target_started",
        payload: { target_id: targetId, target: label, attempt: target.attempts, progress: progressOf(updated!) },
      },
    ]);
    return { attempt: target.attempts, target };
  });
}

export interface Settlement {
  status: "succeeded" | "failed" | "skipped";
  migrations?: TargetMigrationResult[];
  error?: TargetError | null;
  durationMs?: number;
  appliedCount?: number;
}

/**
 * A target reaches its end state (from one of `from`): counters, ETA, events, and, when it was the
 * last one, the execution's own end. False when the target had already moved on.
 */
export async function settleTarget(
  executionId: string,
  targetId: string,
  from: readonly ("pending" | "running")[],
  s: Settlement,
): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const before = await repo.lockExecution(tx, executionId);
    if (!before) return false;
    const target = await repo.transitionTarget(tx, targetId, from, {
      status: s.status,
      ...(s.migrations ? { migrations: s.migrations } : {}),
      error: s.error ?? null,
      completedAt: new Date(),
      durationMs: s.durationMs ?? null,
      nextAttemptAt: null,
      waitingSince: null,
    });
    if (!target) return false;
    const row = await repo.addToCounters(tx, executionId, {
      completed: s.status === "succeeded" ? 1 : 0,
      failed: s.status === "failed" ? 1 : 0,
      skipped: s.status === "skipped" ? 1 : 0,
    });
    const { events, row: after } = await concludeIfDone(tx, row);
    await appendEvents(tx, executionId, [
      {
        type: "target_finished",
        payload: {
          target_id: targetId,
          target: targetLabel(target),
          status: s.status,
          attempts: target.attempts,
          duration_ms: s.durationMs ?? null,
          applied_count: s.appliedCount ?? 0,
          error: s.error ?? null,
          progress: progressOf(after),
        },
      },
      ...events,
    ]);
    return true;
  });
}

/**
 * After counters changed (caller holds the execution's row lock): refresh the ETA, or, when every
 * target has finished, end the execution — `completed` only if every target succeeded, `cancelled`
 * after a cancel, otherwise `failed` with the counts. A completed rollback marks its original
 * execution `rolled_back`.
 */
export async function concludeIfDone(tx: repo.Tx, row: repo.ExecutionRow): Promise<{ events: NewEvent[]; row: repo.ExecutionRow }> {
  const done = row.completedTargets + row.failedTargets + row.skippedTargets;
  const now = new Date();
  if (done < row.totalTargets || (row.status !== "in_progress" && row.status !== "pending")) {
    const eta = estimateCompletion({ startedAt: row.startedAt, now, done, total: row.totalTargets });
    const updated = await repo.updateExecution(tx, row.id, { estimatedCompletion: eta });
    return { events: [], row: updated ?? row };
  }
  const status = row.cancelRequestedAt ? "cancelled" : row.failedTargets + row.skippedTargets === 0 ? "completed" : "failed";
  const counts = `${row.completedTargets} succeeded, ${row.failedTargets} failed, ${row.skippedTargets} skipped`;
  const errorMessage =
    status === "completed"
      ? null
      : status === "cancelled"
        ? `cancelled by ${row.cancelRequestedBy ?? "an operator"}: ${counts}`
        : `${row.failedTargets + row.skippedTargets} of ${row.totalTargets} targets did not succeed: ${counts}`;
  const ended = (await repo.updateExecution(tx, row.id, {
    status,
    completedAt: now,
    startedAt: row.startedAt ?? now,
    currentTarget: null,
    estimatedCompletion: null,
    errorMessage,
  }))!;
  const rollbackOf = typeof row.metadata.rollback_of === "string" ? row.metadata.rollback_of : null;
  if (row.kind === "rollback" && status === "completed" && rollbackOf) {
    await repo.updateExecution(tx, rollbackOf, { status: "rolled_back" }, sql`${executions.status} = 'completed'`);
  }
  return {
    row: ended,
    events: [
      {
        type: "execution_finished",
        payload: { status, error_message: errorMessage, completed_at: now.toISOString(), progress: progressOf(ended) },
      },
    ],
  };
}

/** running → queued again after a transient failure, with its next job due after `delayMs`. */
export async function scheduleRetry(
  target: repo.TargetRow,
  r: { error: TargetError; migrations: TargetMigrationResult[]; delayMs: number; maxAttempts: number },
): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    await repo.lockExecution(tx, target.executionId);
    const next = new Date(Date.now() + r.delayMs);
    const row = await repo.transitionTarget(tx, target.id, ["running"], {
      status: "pending",
      error: r.error,
      migrations: r.migrations,
      nextAttemptAt: next,
    });
    if (!row) return false;
    await enqueueTargetJobs(tx, [{ ...jobOf(row), runAt: next }]);
    await appendEvents(tx, target.executionId, [
      {
        type: "target_retry_scheduled",
        payload: {
          target_id: row.id,
          target: targetLabel(row),
          attempt: row.attempts,
          max_attempts: r.maxAttempts,
          delay_ms: r.delayMs,
          next_attempt_at: next.toISOString(),
          error: r.error,
        },
      },
    ]);
    return true;
  });
}

/**
 * A queued target whose dependencies have not finished: look again after `delayMs`. The first
 * wait is an event (and starts the clock that bounds waiting); later checks are silent.
 */
export async function waitForDependencies(
  target: repo.TargetRow,
  waitingFor: { id: string; label: string; status: string }[],
  delayMs: number,
): Promise<void> {
  await getDb().transaction(async (tx) => {
    await repo.lockExecution(tx, target.executionId);
    const row = await repo.transitionTarget(tx, target.id, ["pending"], {
      waitingSince: sql`coalesce(${executionTargets.waitingSince}, now())`,
    });
    if (!row) return;
    await enqueueTargetJobs(tx, [{ ...jobOf(row), runAt: new Date(Date.now() + delayMs) }]);
    if (!target.waitingSince) {
      await appendEvents(tx, target.executionId, [
        {
          type: "target_waiting",
          payload: {
            target_id: row.id,
            target: targetLabel(row),
            waiting_for: waitingFor.map((w) => ({ target_id: w.id, target: w.label, status: w.status })),
          },
        },
      ]);
    }
  });
}

/** A worker stopping mid-target hands it back: queued again now, the interrupted try not counted. */
export async function requeueTarget(target: repo.TargetRow, migrations: TargetMigrationResult[]): Promise<void> {
  await getDb().transaction(async (tx) => {
    await repo.lockExecution(tx, target.executionId);
    const row = await repo.transitionTarget(tx, target.id, ["running"], {
      status: "pending",
      attempts: sql`greatest(${executionTargets.attempts} - 1, 0)`,
      migrations,
    });
    if (row) await enqueueTargetJobs(tx, [jobOf(row)]);
  });
}

export function jobOf(row: repo.TargetRow) {
  return { executionId: row.executionId, targetId: row.id, connectionId: row.connectionId, position: row.position, tier: row.tier };
}
