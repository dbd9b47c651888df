import { getDb } from "../../db/client";
import { conflict, notFound } from "../../errors/app-error";
import { enqueueTargetJobs, ensureJobQueue } from "../../queue/job-queue";
import type { NewEvent } from "./events";
import { appendEvents } from "./events-repository";
import { rolloutView } from "./execution-view";
import * as repo from "./repository";
import { progressOf } from "./execution-view";
import { applyFinished, jobOf, recordExecutionEnd } from "./target-state";
import { withWavePatch } from "./waves";

/**
 * Resuming a halted rollout (DESIGN.md, Rollouts and guard rails). The operator has looked at the
 * failures (and perhaps fixed what made them: an object in the way on a tenant, a lock held
 * elsewhere). With `retryFailed` (the default) the halted wave's failed targets, except those
 * blocked at planning, are queued again, attempts counted afresh: each re-reads its history under
 * its lock, so what it applied before is not applied twice, and it runs the same planned files (a
 * file edited since fails it with `catalog_changed`: a changed migration is a new execution). Without
 * it, the wave's failures are accepted as they stand. Either way the halt rule afterwards counts
 * only failures after the resume, the wave's queued targets get their jobs again, and a wave with
 * nothing left to run hands over to the next (or ends the execution).
 */
export async function resumeExecution(id: string, by: string, options: { retryFailed: boolean }): Promise<repo.ExecutionRow> {
  await ensureJobQueue();
  const after = await getDb().transaction(async (tx) => {
    const row = await repo.lockExecution(tx, id);
    if (!row) throw notFound("execution", id);
    if (row.status !== "halted" || !row.rollout) {
      throw conflict(`execution ${id} is ${row.status.replace("_", " ")}: only a halted rollout can be resumed`, { status: row.status });
    }
    if (row.cancelRequestedAt) throw conflict(`execution ${id} is being cancelled: it cannot be resumed`, { status: row.status });
    const now = new Date();
    const wave = row.rollout.current;
    const retried = options.retryFailed ? await repo.requeueTargets(tx, (await repo.failedTargetsInWave(tx, id, wave)).map((t) => t.id)) : [];
    const before = row.rollout.waves[wave]!;
    const failedNow = before.failed - retried.length;
    let rollout = withWavePatch(row.rollout, wave, { failed: failedNow, acceptedFailures: failedNow, status: "running", startsAt: before.startsAt ?? now.toISOString() });
    rollout = { ...rollout, halted: null, resumes: [...rollout.resumes, { by, at: now.toISOString(), wave, retried: retried.length }] };
    const patch = { status: "in_progress" as const, rollout, errorMessage: null, failedTargets: row.failedTargets - retried.length };
    await repo.updateExecution(tx, id, patch, { returning: false });
    let resumed: repo.ExecutionRow = { ...row, ...patch };
    const events: NewEvent[] = [
      {
        type: "execution_resumed",
        payload: {
          resumed_by: by,
          wave,
          retried: retried.length,
          retried_target_ids: retried.slice(0, 1_000).map((t) => t.id),
          progress: progressOf(resumed),
          rollout: rolloutView(rollout),
        },
      },
    ];
    await enqueueTargetJobs(tx, (await repo.pendingTargetsInWave(tx, id, wave)).map(jobOf));
    // Nothing left to run in this wave: the next one starts now (or the execution ends).
    const stepped = await applyFinished(tx, resumed, {});
    resumed = stepped.row;
    events.push(...stepped.events);
    await appendEvents(tx, id, events, { locked: true });
    return resumed;
  });
  if (after.completedAt) recordExecutionEnd(after);
  return after;
}

/**
 * A halted rollout the operator rolls back instead of resuming: its queued targets are skipped
 * (code `halted`) and it ends `failed`, its error still naming the halt, in the transaction that
 * records the rollback (`tx`), so it can no longer be resumed while the rollback undoes what it
 * applied. Refused while one of its targets still runs (what it applies would escape the rollback).
 */
export async function endHaltedRollout(tx: repo.Tx, id: string, by: string): Promise<void> {
  const row = await repo.lockExecution(tx, id);
  if (!row || row.status !== "halted") {
    throw conflict(`execution ${id} is ${row?.status.replace("_", " ") ?? "gone"}: it is no longer halted`, { status: row?.status ?? null });
  }
  await assertNothingRunning(tx, row);
  const skipped = await repo.skipQueuedTargets(tx, id, {
    code: "halted",
    message: `the rollout halted and ${by} rolled it back before this target ran`,
    transient: false,
  });
  const { events, row: ended } = await applyFinished(tx, row, { skipped: skipped.length });
  await appendEvents(
    tx,
    id,
    [{ type: "targets_skipped", payload: { count: skipped.length, reason: "halted", target_ids: skipped.slice(0, 1_000), progress: progressOf(ended) } }, ...events],
    { locked: true },
  );
}

/** A halted execution whose running targets have not finished yet cannot be rolled back (409). */
export async function assertNothingRunning(tx: repo.Tx, row: repo.ExecutionRow): Promise<void> {
  const running = await repo.countRunningTargets(tx, row.id);
  if (running > 0) {
    throw conflict(
      `execution ${row.id} halted but ${running} of its targets ${running === 1 ? "is" : "are"} still running: wait until they finish, then roll back`,
      { status: row.status, running },
    );
  }
}
