import { getDb } from "../../db/client";
import { conflict, notFound } from "../../errors/app-error";
import { enqueueTargetJobs, ensureJobQueue } from "../../queue/job-queue";
import { appendEvents } from "./events-repository";
import * as repo from "./repository";
import { jobOf } from "./target-state";
import { windowOverrideOf } from "./window-gate";
import { releaseWindowWaits } from "./window-wait-repository";

/**
 * An admin lets an execution's targets start outside their maintenance windows, with a reason:
 * kept on the execution (`metadata.window_override: {by, reason, at}`), an event on its stream,
 * and (by the route) the audit log. Targets waiting for a window are queued at once; targets
 * queued later never wait for one. Once given, it holds for the rest of the execution.
 */
export async function overrideWindows(executionId: string, by: string, reason: string) {
  await ensureJobQueue();
  return getDb().transaction(async (tx) => {
    const row = await repo.lockExecution(tx, executionId);
    if (!row) throw notFound("execution", executionId);
    if (row.completedAt) throw conflict(`execution ${executionId} has ended (${row.status}): nothing waits for a window`, { status: row.status });
    const earlier = windowOverrideOf(row);
    if (earlier) throw conflict(`${earlier.by} already overrode the maintenance windows of this execution at ${earlier.at}`, { window_override: earlier });
    const at = new Date().toISOString();
    const record = { by, reason, at };
    await repo.updateExecution(tx, executionId, { metadata: { ...row.metadata, window_override: record } }, { returning: false });
    const released = await releaseWindowWaits(tx, executionId);
    // Waiting targets have a job due at their window's opening: queue them now (one job per target).
    if (row.status === "in_progress") await enqueueTargetJobs(tx, released.map(jobOf));
    await appendEvents(tx, executionId, [{ type: "window_overridden", payload: { ...record, targets_released: released.length } }], { locked: true });
    return { execution_id: executionId, overridden_by: by, reason, at, targets_released: released.length };
  });
}
