import { getDb } from "../../db/client";
import { type TargetError, type TargetMigrationResult } from "../../domain/executions";
import { recordRun, type Summary } from "../../fleet-state/service";
import { enqueueTargetJobs } from "../../queue/job-queue";
import { emitExecutionEvent, emitRolledBack, ENDED_EVENT } from "../../webhooks/emit";
import { recordExecutionFinished, recordTargetFinished } from "./execution-metrics";
import { progressOf, rolloutView } from "./execution-view";
import type { NewEvent } from "./events";
import { appendEvents } from "./events-repository";
import { countFinishedWithEvents, startTargetWithEvent } from "./progress-repository";
import { estimateCompletion } from "./progress";
import { markRolledBackWhenUndone } from "./rollback-ledger";
import * as repo from "./repository";
import { countInWave, finishRollout, stepRollout } from "./waves";

/**
 * Every change of a target's state, each in one control-plane transaction together with the
 * execution's counters, its events and (for retries and waits) the target's next job.
 *
 * Lock order is the execution row first, then target rows: the cancel path locks the execution
 * and then skips queued targets, so taking a queued target's row first could deadlock. The one
 * exception is the end of a running target (settleTarget from `running`): the only path that
 * changes other targets' rows under the execution's lock is the cancel, and it skips queued ones
 * only, so that end writes the target's row and its fleet state first and locks the execution for
 * the counters and events alone. The execution's row is every worker's turn for every target of the
 * execution, so the less is done under it, the more targets a second one execution can take: a
 * start, and the end of a running target of an execution without waves, each lock it with the one
 * statement that also writes the target's event (progress-repository.ts), the last of its
 * transaction.
 * Transitions are compare-and-set on the target's status, so a duplicate job, a job re-run after a
 * crash, or a cancel racing a worker never count a target twice (two copies of one target's job
 * running at once could also deadlock each other; PostgreSQL then ends one transaction, and the
 * queue runs that job again: a target already settled is left alone, and a re-run engine skips what
 * the history holds).
 */

export const targetLabel = (t: { connectionName: string; schemaName: string }) => `${t.connectionName}/${t.schemaName}`;


/**
 * queued/running → running, one more attempt. Null when the target or execution may not start.
 * One statement on its own (progress-repository.ts): it locks the execution's row, names the target
 * as its current one, starts the target and writes its event, and the lock ends with the statement's
 * commit, without a round trip to this process in between: every start and end of every target of
 * an execution takes this lock in turn, whichever worker runs it.
 */
export async function startTarget(executionId: string, target: repo.TargetRow): Promise<{ attempt: number; target: repo.TargetRow } | null> {
  const started = await startTargetWithEvent(getDb(), { executionId, targetId: target.id, label: targetLabel(target), now: new Date() });
  if (!started) return null;
  return {
    attempt: started.attempt,
    target: { ...target, status: "running", attempts: started.attempt, nextAttemptAt: null, waitingSince: null },
  };
}

export interface Settlement {
  status: "succeeded" | "failed" | "skipped";
  migrations?: TargetMigrationResult[];
  error?: TargetError | null;
  durationMs?: number;
  appliedCount?: number;
  /** The target's migration state after the run, when the run read its history (for the fleet state store). */
  summary?: Summary | null;
}

/**
 * A target reaches its end state (from one of `from`): counters, ETA, events, and, when it was the
 * last one, the execution's own end. False when the target had already moved on. `leading` are
 * events still buffered from the run (its migrations'), written first in the same transaction.
 */
export async function settleTarget(
  executionId: string,
  targetId: string,
  from: readonly ("pending" | "running")[],
  s: Settlement,
  leading: readonly NewEvent[] = [],
  known?: KnownExecution,
): Promise<boolean> {
  if (known && !known.rollout && from.length === 1 && from[0] === "running") {
    return settleRunningTarget(executionId, targetId, s, leading, known);
  }
  let ended: repo.ExecutionRow | null = null;
  // A running target's row is never one a cancel waits for (it skips queued targets only), so its
  // end and its fleet state are written before the execution's row is locked, and the lock is held
  // for the counters and the events alone. A target that may still be queued keeps the usual
  // order: execution, then target.
  const runningOnly = from.length === 1 && from[0] === "running";
  const settled = await getDb().transaction(async (tx) => {
    let before = runningOnly ? await repo.findExecution(tx, executionId) : await repo.lockExecution(tx, executionId);
    if (!before) return false;
    const target = await repo.transitionTarget(tx, targetId, from, endedTargetColumns(s));
    if (!target) {
      await appendEvents(tx, executionId, leading, { locked: !runningOnly });
      return false;
    }
    // (Kind and dry-run never change, so the unlocked read above is as good as a locked one for them.)
    await recordRunUnlessRehearsal(tx, executionId, before, target, s);
    if (runningOnly) {
      before = await repo.lockExecution(tx, executionId);
      if (!before) return false;
    }
    const { row, events } = await applyFinished(tx, before, {
      completed: s.status === "succeeded" ? 1 : 0,
      failed: s.status === "failed" ? 1 : 0,
      skipped: s.status === "skipped" ? 1 : 0,
      wave: target.wave,
    });
    await appendEvents(tx, executionId, [...leading, finishedEvent(target, s, row), ...events], { locked: true });
    if (row.completedAt && !before.completedAt) ended = row;
    return true;
  });
  // Counted after the commit, so a rolled-back transaction is never counted.
  if (settled) recordTargetFinished(s.status, (s.durationMs ?? 0) / 1000);
  if (ended) recordExecutionEnd(ended);
  return settled;
}

/** What never changes in an execution once it is recorded, as the job loaded it. */
export type KnownExecution = Pick<repo.ExecutionRow, "kind" | "dryRun" | "rollout">;

/**
 * The end of a running target of an execution without waves, the common case: the target's row
 * and its fleet state first (no lock on the execution: a cancel skips queued targets only, so it
 * never waits for a running one's row), then ONE statement counts it into the execution and writes
 * its events (progress-repository.ts), so the execution's row is held for that statement and the
 * commit. Only the last target of the execution does more under the lock: the execution's end. A
 * waved execution counts into its waves and checks the halt rule, and takes the general path.
 */
async function settleRunningTarget(
  executionId: string,
  targetId: string,
  s: Settlement,
  leading: readonly NewEvent[],
  known: KnownExecution,
): Promise<boolean> {
  let ended: repo.ExecutionRow | null = null;
  const settled = await getDb().transaction(async (tx) => {
    const target = await repo.transitionTarget(tx, targetId, ["running"], endedTargetColumns(s));
    if (!target) {
      await appendEvents(tx, executionId, leading);
      return false;
    }
    await recordRunUnlessRehearsal(tx, executionId, known, target, s);
    const now = new Date();
    const counted = await countFinishedWithEvents(tx, {
      executionId,
      completed: s.status === "succeeded" ? 1 : 0,
      failed: s.status === "failed" ? 1 : 0,
      skipped: s.status === "skipped" ? 1 : 0,
      now,
      events: [...leading, finishedEvent(target, s, null)],
    });
    if (!counted) return false;
    if (counted.done >= counted.total && ENDABLE.includes(counted.status)) {
      // The last target: the execution ends in the same transaction, under the lock just taken.
      const row = await repo.findExecution(tx, executionId);
      const end = await endExecution(tx, row!, now);
      await appendEvents(tx, executionId, end.events, { locked: true });
      ended = end.row;
    }
    return true;
  });
  if (settled) recordTargetFinished(s.status, (s.durationMs ?? 0) / 1000);
  if (ended) recordExecutionEnd(ended);
  return settled;
}

/** Statuses an execution ends from when its last target is counted. */
const ENDABLE: readonly string[] = ["in_progress", "pending", "halted"];

/** The target row's columns once it ended as `s` says. */
function endedTargetColumns(s: Settlement) {
  return {
    status: s.status,
    ...(s.migrations ? { migrations: s.migrations } : {}),
    error: s.error ?? null,
    completedAt: new Date(),
    durationMs: s.durationMs ?? null,
    nextAttemptAt: null,
    waitingSince: null,
  };
}

/**
 * How the run ended on the target, for the fleet state (its list columns and filters). Rehearsals
 * (of a plan or of a rollback) keep nothing on the target: its state stays as it was.
 */
async function recordRunUnlessRehearsal(
  tx: repo.Tx,
  executionId: string,
  execution: Pick<repo.ExecutionRow, "kind" | "dryRun">,
  target: repo.TargetRow,
  s: Settlement,
): Promise<void> {
  if (execution.kind === "rehearsal" || execution.dryRun) return;
  await recordRun(tx, {
    target: { connectionId: target.connectionId, schemaName: target.schemaName, tier: target.tier },
    executionId,
    kind: execution.kind,
    status: s.status,
    error: s.error ?? null,
    summary: s.summary ?? null,
  });
}

/** A target's `target_finished` event (its `progress` added by whoever counts it). */
function finishedEvent(target: repo.TargetRow, s: Settlement, row: repo.ExecutionRow | null): NewEvent {
  const wave = row?.rollout?.waves[target.wave];
  return {
    type: "target_finished",
    payload: {
      target_id: target.id,
      target: targetLabel(target),
      status: s.status,
      attempts: target.attempts,
      duration_ms: s.durationMs ?? null,
      applied_count: s.appliedCount ?? 0,
      error: s.error ?? null,
      ...(row ? { progress: progressOf(row) } : {}),
      ...(wave
        ? { wave: target.wave, wave_progress: { succeeded: wave.succeeded, failed: wave.failed, skipped: wave.skipped, total: wave.total } }
        : {}),
    },
  };
}

/**
 * Counts finished targets into the execution (the caller holds its row, `row` as locked) in one
 * update: new counters and ETA (and, in a waved rollout, its wave's counters, the halt rule and the
 * next wave), or, when every target has finished, the execution's end (endExecution).
 */
export async function applyFinished(
  tx: repo.Tx,
  row: repo.ExecutionRow,
  delta: { completed?: number; failed?: number; skipped?: number; wave?: number },
): Promise<{ events: NewEvent[]; row: repo.ExecutionRow }> {
  const counters = {
    completedTargets: row.completedTargets + (delta.completed ?? 0),
    failedTargets: row.failedTargets + (delta.failed ?? 0),
    skippedTargets: row.skippedTargets + (delta.skipped ?? 0),
  };
  const done = counters.completedTargets + counters.failedTargets + counters.skippedTargets;
  const now = new Date();
  // A waved rollout counts the target into its wave too (waves.ts).
  const rollout = row.rollout && delta.wave !== undefined ? countInWave(row.rollout, delta.wave, delta) : row.rollout;
  if (done < row.totalTargets || !ENDABLE.includes(row.status)) {
    const patch = {
      ...counters,
      estimatedCompletion: estimateCompletion({ startedAt: row.startedAt, now, done, total: row.totalTargets }),
      ...(rollout !== row.rollout ? { rollout } : {}),
    };
    await repo.updateExecution(tx, row.id, patch, { returning: false });
    const updated = { ...row, ...patch };
    // Halt by the rule, or start the next wave once this one finished.
    if (updated.rollout && done < row.totalTargets) return stepRollout(tx, updated, now);
    return { events: [], row: updated };
  }
  return endExecution(tx, { ...row, ...counters, ...(rollout ? { rollout } : {}) }, now);
}

/**
 * Every target has finished (its counters in `row`, which the caller holds): the execution's end —
 * `completed` only if every target succeeded, `cancelled` after a cancel, otherwise `failed` with
 * the counts. A completed rollback marks its original execution `rolled_back` once nothing the
 * original applied is left (rollback-ledger.ts). The end (and the original's rollback) is also a
 * webhook event, emitted in the same transaction.
 */
async function endExecution(tx: repo.Tx, row: repo.ExecutionRow, now: Date): Promise<{ events: NewEvent[]; row: repo.ExecutionRow }> {
  const counters = { completedTargets: row.completedTargets, failedTargets: row.failedTargets, skippedTargets: row.skippedTargets };
  const rollout = row.rollout;
  const status = row.cancelRequestedAt ? "cancelled" : counters.failedTargets + counters.skippedTargets === 0 ? "completed" : "failed";
  const counts = `${counters.completedTargets} succeeded, ${counters.failedTargets} failed, ${counters.skippedTargets} skipped`;
  const errorMessage =
    status === "completed"
      ? null
      : status === "cancelled"
        ? `cancelled by ${row.cancelRequestedBy ?? "an operator"}: ${counts}`
        : `${counters.failedTargets + counters.skippedTargets} of ${row.totalTargets} targets did not succeed: ${counts}`;
  const patch = {
    ...counters,
    status,
    completedAt: now,
    startedAt: row.startedAt ?? now,
    currentTarget: null,
    estimatedCompletion: null,
    // A halted rollout that ends anyway (its last running targets finished, or a cancel) keeps the halt's reason.
    errorMessage: row.status === "halted" && status === "failed" && row.errorMessage ? `${row.errorMessage}; ${counts}` : errorMessage,
    ...(rollout ? { rollout: finishRollout(rollout, now) } : {}),
  } as const;
  await repo.updateExecution(tx, row.id, patch, { returning: false });
  const ended: repo.ExecutionRow = { ...row, ...patch };
  const endMessage = patch.errorMessage;
  const rollbackOf = typeof row.metadata.rollback_of === "string" ? row.metadata.rollback_of : null;
  await emitExecutionEvent(tx, ENDED_EVENT[status]!, ended);
  if (row.kind === "rollback" && !row.dryRun && status === "completed" && rollbackOf) {
    if (await markRolledBackWhenUndone(tx, rollbackOf, row.id, now)) {
      const original = await repo.findExecution(tx, rollbackOf);
      if (original) await emitRolledBack(tx, original, ended);
    }
  }
  return {
    row: ended,
    events: [
      {
        type: "execution_finished",
        payload: {
          status,
          error_message: endMessage,
          completed_at: now.toISOString(),
          progress: progressOf(ended),
          // A waved rollout's waves as they ended (the page's strip ends on them without reading the execution again).
          ...(ended.rollout ? { rollout: rolloutView(ended.rollout, now) } : {}),
        },
      },
    ],
  };
}

/** Per-process metrics for an execution that has just ended (call after its transaction commits). */
export function recordExecutionEnd(row: repo.ExecutionRow): void {
  if (!row.completedAt) return;
  const started = row.startedAt ?? row.createdAt;
  recordExecutionFinished(row.status, (row.completedAt.getTime() - started.getTime()) / 1000);
}

/** running → queued again after a transient failure, with its next job due after `delayMs`. */
export async function scheduleRetry(
  target: repo.TargetRow,
  r: { error: TargetError; migrations: TargetMigrationResult[]; delayMs: number; maxAttempts: number },
  leading: readonly NewEvent[] = [],
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
      ...leading,
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
    ], { locked: true });
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
    const row = await repo.transitionTarget(tx, target.id, ["pending"], {}, { startWaiting: true });
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
      ], { locked: true });
    }
  });
}

/** A worker stopping mid-target hands it back: queued again now, the interrupted try not counted. */
export async function requeueTarget(
  target: repo.TargetRow,
  migrations: TargetMigrationResult[],
  leading: readonly NewEvent[] = [],
): Promise<void> {
  await getDb().transaction(async (tx) => {
    await repo.lockExecution(tx, target.executionId);
    const row = await repo.transitionTarget(tx, target.id, ["running"], { status: "pending", migrations }, { forgetAttempt: true });
    if (row) await enqueueTargetJobs(tx, [jobOf(row)]);
    await appendEvents(tx, target.executionId, leading, { locked: true });
  });
}

export function jobOf(row: repo.TargetRow) {
  return { executionId: row.executionId, targetId: row.id, connectionId: row.connectionId, position: row.position, tier: row.tier };
}
