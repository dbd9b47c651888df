import { getDb } from "../../db/client";
import { conflict, notFound } from "../../errors/app-error";
import type { NewEvent } from "./events";
import { appendEvents } from "./events-repository";
import * as repo from "./repository";
import { progressOf } from "./execution-view";
import { applyFinished, recordExecutionEnd } from "./target-state";

/**
 * Cancel (DESIGN.md, Executing 6): queued targets become skipped at once; running ones are told to
 * stop (their worker's cancel watch fires) and finish their current migration first. The
 * execution ends `cancelled` when the last running target has stopped, or now when none runs. A
 * second cancel is a no-op; cancelling an execution that already ended is a 409.
 */
export async function cancelExecution(id: string, by: string): Promise<repo.ExecutionRow> {
  const after = await getDb().transaction(async (tx) => {
    const row = await repo.lockExecution(tx, id);
    if (!row) throw notFound("execution", id);
    if (repo.TERMINAL_EXECUTION.includes(row.status)) {
      throw conflict(`execution ${id} already ended (${row.status}): there is nothing to cancel`, { status: row.status });
    }
    if (row.cancelRequestedAt) return row;
    const requested = { ...row, cancelRequestedAt: new Date(), cancelRequestedBy: by };
    await repo.updateExecution(tx, id, { cancelRequestedAt: requested.cancelRequestedAt, cancelRequestedBy: by }, { returning: false });
    const skipped = await repo.skipQueuedTargets(tx, id, {
      code: "cancelled",
      message: `execution cancelled by ${by} before this target ran`,
      transient: false,
    });
    const { events: ending, row: after } = await applyFinished(tx, requested, { skipped: skipped.length });
    const events: NewEvent[] = [{ type: "cancel_requested", payload: { requested_by: by, progress: progressOf(after) } }];
    if (skipped.length > 0) {
      events.push({
        type: "targets_skipped",
        payload: { count: skipped.length, reason: "cancelled", target_ids: skipped.slice(0, 1_000), progress: progressOf(after) },
      });
    }
    await appendEvents(tx, id, [...events, ...ending], { locked: true });
    return after;
  });
  // Ended now when nothing was running (otherwise the last running target ends it).
  if (after.completedAt && after.status === "cancelled") recordExecutionEnd(after);
  return after;
}
