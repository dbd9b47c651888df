import { getDb } from "../../db/client";
import { AppError, conflict } from "../../errors/app-error";
import { enqueueTargetJobs, ensureJobQueue } from "../../queue/job-queue";
import { emitExecutionEvent } from "../../webhooks/emit";
import { buildFleetPlan } from "../plans/plan-service";
import { planChangedError } from "../plans/plan-snapshots";
import { fromExecutionParams } from "../plans/scope";
import { appendEvents } from "./events-repository";
import { getExecutionRowOrThrow } from "./read-executions";
import * as repo from "./repository";
import { retryPlan } from "./retry-execution";
import { progressOf } from "./execution-view";
import { jobOf } from "./target-state";
import { queuedAtStart, startFirstWave } from "./waves";

/**
 * Approval (DESIGN.md, Executing 8): with REQUIRE_APPROVAL=true an execution waits in `pending`
 * until a second person with migrations:manage approves it. The approver must not be the user who
 * started it, and the plan must still be the one that was requested (same fingerprint): approving
 * something other than what was reviewed is refused with what changed. Approval queues the jobs.
 */
export async function approveExecution(id: string, approver: string): Promise<repo.ExecutionRow> {
  const row = await getExecutionRowOrThrow(id);
  assertAwaitingApproval(row);
  if (row.executedBy === approver) {
    throw new AppError(
      "forbidden",
      `${approver} started this execution and cannot also approve it: approval must come from a different user with migrations:manage`,
      { executed_by: row.executedBy, approver },
    );
  }
  if (row.kind === "migrate" && row.planFingerprint) {
    // A retry plans only the targets its original did not finish: re-plan exactly those.
    const retryOf = typeof row.metadata.retry_of === "string" ? row.metadata.retry_of : null;
    const fleet = retryOf
      ? (await retryPlan(await getExecutionRowOrThrow(retryOf))).fleet
      : await buildFleetPlan(fromExecutionParams(row.scope, row.params));
    if (fleet.fingerprint !== row.planFingerprint) throw await planChangedError(row.planFingerprint, fleet, "requested");
  }
  await ensureJobQueue();
  return getDb().transaction(async (tx) => {
    const locked = await repo.lockExecution(tx, id);
    assertAwaitingApproval(locked!);
    const now = new Date();
    // A waved rollout starts with its first wave only (waves.ts).
    const rollout = locked!.rollout ? startFirstWave(locked!.rollout, now) : null;
    const started = (await repo.updateExecution(
      tx,
      id,
      { status: "in_progress", approvedBy: approver, approvedAt: now, startedAt: now, ...(rollout ? { rollout } : {}) },
      { onlyIfStatus: "pending" },
    ))!;
    await enqueueTargetJobs(tx, queuedAtStart(await repo.pendingTargets(tx, id), rollout).map(jobOf));
    await appendEvents(tx, id, [
      { type: "execution_approved", payload: { approved_by: approver, approved_at: now.toISOString() } },
      { type: "execution_started", payload: { progress: progressOf(started) } },
    ]);
    await emitExecutionEvent(tx, "execution.started", started);
    return started;
  });
}

function assertAwaitingApproval(row: repo.ExecutionRow) {
  if (row.status !== "pending" || row.approvedAt || row.cancelRequestedAt) {
    throw conflict(`execution ${row.id} is ${row.cancelRequestedAt ? "cancelled" : row.status}: only an execution waiting for approval can be approved`, {
      status: row.status,
    });
  }
}
