import { getDb } from "../../db/client";
import type { ExecutionTargetView } from "./execution-schemas";
import type { ExecutionRow } from "./repository";
import { windowOverrideOf } from "./window-gate";
import type { ExecutionWindowView } from "./window-schemas";
import { windowWaitsOf, windowWaitSummary } from "./window-wait-repository";

/**
 * An execution's detail with its maintenance-window waits: per queued target `waiting_for_window`
 * (the next opening), and for the execution how many wait, the earliest opening, and an admin's
 * override.
 */
export async function withWindowWaits(
  row: ExecutionRow,
  targets: ExecutionTargetView[],
): Promise<{ targets: ExecutionTargetView[]; maintenance_window: ExecutionWindowView }> {
  const override = windowOverrideOf(row);
  const live = row.status === "in_progress" && !override;
  const pendingIds = targets.filter((t) => t.status === "pending").map((t) => t.id);
  const [waits, summary] = live
    ? await Promise.all([windowWaitsOf(getDb(), row.id, pendingIds), windowWaitSummary(getDb(), row.id)])
    : [[], { waiting: 0, opensAt: null }];
  const byTarget = new Map(waits.map((w) => [w.targetId, w]));
  return {
    targets: targets.map((t) => {
      const wait = t.status === "pending" ? byTarget.get(t.id) : undefined;
      return wait ? { ...t, waiting_for_window: { opens_at: wait.opensAt?.toISOString() ?? null, since: wait.since.toISOString() } } : t;
    }),
    maintenance_window: {
      waiting_targets: summary.waiting,
      opens_at: summary.opensAt?.toISOString() ?? null,
      override: override ? { by: override.by, reason: override.reason, at: override.at } : null,
    },
  };
}
