import type { ExecutionDetail, ExecutionTarget } from "./execution-types";

/**
 * The maintenance-window part of an execution event, folded into the detail the page shows: a
 * target that starts waiting for its window (`target_waiting` with `window`), a target that starts
 * (its wait is over), an admin's override (every wait ends). Returns the same object when nothing
 * changes.
 */
export function applyWindowEvent(
  detail: ExecutionDetail,
  event: { type: string; created_at: string; payload: Record<string, unknown> },
): ExecutionDetail {
  const p = event.payload;
  const window = detail.maintenance_window ?? { waiting_targets: 0, opens_at: null, override: null };
  if (event.type === "target_waiting" && p.window && typeof p.window === "object" && !window.override) {
    const opensAt = ((p.window as { opens_at?: string | null }).opens_at ?? null) as string | null;
    const target = detail.targets.find((t) => t.id === p.target_id);
    if (!target || target.status !== "pending" || target.waiting_for_window) return detail;
    return {
      ...withTarget(detail, { ...target, waiting_for_window: { opens_at: opensAt, since: event.created_at } }),
      maintenance_window: {
        ...window,
        waiting_targets: window.waiting_targets + 1,
        opens_at: !window.opens_at || (opensAt && opensAt < window.opens_at) ? opensAt : window.opens_at,
      },
    };
  }
  if (event.type === "target_started") {
    const target = detail.targets.find((t) => t.id === p.target_id);
    if (!target?.waiting_for_window) return detail;
    const waiting = Math.max(0, window.waiting_targets - 1);
    return {
      ...withTarget(detail, { ...target, waiting_for_window: null }),
      maintenance_window: { ...window, waiting_targets: waiting, opens_at: waiting === 0 ? null : window.opens_at },
    };
  }
  if (event.type === "window_overridden") {
    return {
      ...detail,
      targets: detail.targets.map((t) => (t.waiting_for_window ? { ...t, waiting_for_window: null } : t)),
      maintenance_window: {
        waiting_targets: 0,
        opens_at: null,
        override: { by: String(p.by ?? ""), reason: String(p.reason ?? ""), at: String(p.at ?? event.created_at) },
      },
    };
  }
  return detail;
}

function withTarget(detail: ExecutionDetail, target: ExecutionTarget): ExecutionDetail {
  return { ...detail, targets: detail.targets.map((t) => (t.id === target.id ? target : t)) };
}
