import { getSettings } from "../../config/settings";
import { getDb } from "../../db/client";
import { windowStateFor } from "../../maintenance-windows/service";
import { getLogger } from "../../logging/logger";
import { enqueueTargetJobs } from "../../queue/job-queue";
import { appendEvents } from "./events-repository";
import * as repo from "./repository";
import { jobOf, targetLabel } from "./target-state";
import { deleteWindowWait, upsertWindowWait } from "./window-wait-repository";

/**
 * The maintenance-window gate, checked by a target's job right before the target starts (so a
 * target whose window closed while it was queued waits too). Outside its window the target stays
 * queued: its wait is recorded with the next opening (`waiting for window` on the execution page
 * and in the API) and its job comes back at that opening, or within MAINTENANCE_WINDOW_RECHECK_MS when that is
 * sooner, so a window an admin edits or deletes meanwhile is noticed. An execution an admin
 * overrode (`metadata.window_override`) ignores windows. A target already running when its window
 * closes is not stopped: it finishes its current run.
 */

export interface WindowOverrideRecord {
  by: string;
  reason: string;
  at: string;
}

export function windowOverrideOf(execution: repo.ExecutionRow): WindowOverrideRecord | null {
  const o = execution.metadata.window_override;
  return o && typeof o === "object" && typeof (o as WindowOverrideRecord).reason === "string" ? (o as WindowOverrideRecord) : null;
}

/** True when the target must wait for its window (its next job is queued); false when it may start now. */
export async function holdForWindow({ execution, target }: { execution: repo.ExecutionRow; target: repo.TargetRow }): Promise<boolean> {
  const db = getDb();
  if (windowOverrideOf(execution)) {
    await deleteWindowWait(db, target.id);
    return false;
  }
  const now = new Date();
  const { source, state } = await windowStateFor({ connectionId: target.connectionId, region: target.region }, now);
  if (state.open) {
    await deleteWindowWait(db, target.id);
    return false;
  }
  const opensAt = state.opensAt;
  const recheckAt = now.getTime() + getSettings().maintenanceWindows.recheckMs;
  // At the opening itself (never sooner than a moment from now, should clocks disagree a little).
  const runAt = new Date(Math.max(now.getTime() + 200, Math.min(opensAt?.getTime() ?? recheckAt, recheckAt)));
  await db.transaction(async (tx) => {
    const locked = await repo.lockExecution(tx, execution.id);
    if (!locked || locked.status !== "in_progress" || windowOverrideOf(locked)) return;
    // Target transitions take the execution's row first, so under it the status read stays true.
    const row = await repo.findTarget(tx, target.id);
    if (row?.status !== "pending") return;
    const first = await upsertWindowWait(tx, { targetId: target.id, executionId: execution.id, opensAt });
    await enqueueTargetJobs(tx, [{ ...jobOf(row), runAt }]);
    if (first) {
      await appendEvents(
        tx,
        execution.id,
        [
          {
            type: "target_waiting",
            payload: {
              target_id: row.id,
              target: targetLabel(row),
              waiting_for: [],
              window: { opens_at: opensAt?.toISOString() ?? null, source },
            },
          },
        ],
        { locked: true },
      );
      getLogger().info({ executionId: execution.id, target: targetLabel(row), opensAt, source }, "target waits for its maintenance window");
    }
  });
  return true;
}
