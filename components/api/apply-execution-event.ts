import { applyWindowEvent } from "./apply-window-event";
import type { ExecutionDetail, ExecutionProgress, ExecutionSummary, ExecutionTarget, TargetError, TargetMigration } from "./execution-types";

/** One event of GET /api/migrations/{id}/events, as its `data:` line carries it. */
export interface ExecutionEvent {
  id: number;
  execution_id: string;
  type: string;
  created_at: string;
  payload: Record<string, unknown>;
}

const EXECUTION_RANK: Record<ExecutionSummary["status"], number> = {
  pending: 0,
  in_progress: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
  rolled_back: 3,
  // A halted rollout may run again (a resume): it ranks with in_progress; the rollout's own rank orders the two.
  halted: 1,
};
const TARGET_RANK: Record<ExecutionTarget["status"], number> = { pending: 0, running: 1, succeeded: 2, failed: 2, skipped: 2 };

type RolloutState = NonNullable<ExecutionSummary["rollout"]>;

/** Later states of a waved rollout rank higher: a later wave, then each resume, then a halt after it. */
const rolloutRank = (r: RolloutState) => r.current_wave * 10_000 + r.resumes.length * 2 + (r.halted ? 1 : 0);

const finishedCount = (p: ExecutionProgress) => p.completed_targets + p.failed_targets + p.skipped_targets;

/**
 * Folds one event into the execution as the status endpoint returned it, so the page moves with
 * the stream instead of polling. Events may be replayed (a reload streams from the start while the
 * snapshot is already newer), so every change only moves forward: progress never goes back to fewer
 * finished targets, a finished target never becomes running again, an ended execution stays ended.
 * Returns the same object when the event changes nothing.
 */
export function applyExecutionEvent(detail: ExecutionDetail, event: ExecutionEvent): ExecutionDetail {
  const p = event.payload;
  let next = detail;
  const patch = (changes: Partial<ExecutionDetail>) => {
    next = { ...next, ...changes };
  };

  const progress = p.progress as ExecutionProgress | undefined;
  // Forward only: more targets finished, or as many with more of them succeeded (a resumed target that failed before).
  const forward = (p: ExecutionProgress, now: ExecutionProgress) =>
    finishedCount(p) > finishedCount(now) || (finishedCount(p) === finishedCount(now) && p.completed_targets >= now.completed_targets);
  if (progress && forward(progress, next.progress)) patch({ progress });

  switch (event.type) {
    case "execution_approved":
      patch({
        approved_by: (p.approved_by as string) ?? next.approved_by,
        approved_at: (p.approved_at as string) ?? event.created_at,
        awaiting_approval: false,
      });
      break;
    case "execution_started":
      if (EXECUTION_RANK[next.status] < 1) patch({ status: "in_progress", awaiting_approval: false });
      if (!next.started_at) patch({ started_at: event.created_at });
      break;
    case "cancel_requested":
      patch({ cancel_requested_at: next.cancel_requested_at ?? event.created_at, cancel_requested_by: (p.requested_by as string) ?? null });
      break;
    case "execution_finished": {
      const status = p.status as ExecutionSummary["status"];
      if (EXECUTION_RANK[status] !== undefined && EXECUTION_RANK[next.status] < 2) {
        patch({
          status,
          error_message: (p.error_message as string | null) ?? null,
          completed_at: (p.completed_at as string) ?? event.created_at,
          awaiting_approval: false,
          ...(p.rollout ? { rollout: p.rollout as RolloutState } : {}),
        });
      }
      break;
    }
    case "wave_started":
    case "execution_halted":
    case "execution_resumed": {
      const rollout = p.rollout as RolloutState | undefined;
      // Each of these moves the rollout's rank up: one the page already reflects (a replay) changes nothing.
      if (!rollout || (next.rollout && rolloutRank(rollout) <= rolloutRank(next.rollout)) || EXECUTION_RANK[next.status] > 1) break;
      patch({ rollout });
      if (event.type === "execution_halted") patch({ status: "halted", error_message: `halted: ${String(p.reason ?? "")}` });
      if (event.type === "execution_resumed") {
        patch({ status: "in_progress", error_message: null, ...(progress ? { progress } : {}) });
        const retried = new Set((p.retried_target_ids as string[] | undefined) ?? []);
        if (retried.size) {
          next = {
            ...next,
            targets: next.targets.map((t) =>
              retried.has(t.id) && t.status === "failed" ? { ...t, status: "pending" as const, error: null, attempts: 0, completed_at: null, duration_ms: null } : t,
            ),
          };
        }
      }
      break;
    }
    case "target_started":
      next = updateTarget(next, p.target_id, (t) =>
        TARGET_RANK[t.status] > 1
          ? t
          : { ...t, status: "running", attempts: Math.max(t.attempts, Number(p.attempt) || 0), started_at: t.started_at ?? event.created_at, next_attempt_at: null },
      );
      break;
    case "target_waiting":
      next = updateTarget(next, p.target_id, (t) => (t.waiting_since || TARGET_RANK[t.status] > 0 ? t : { ...t, waiting_since: event.created_at }));
      break;
    case "target_retry_scheduled":
      next = updateTarget(next, p.target_id, (t) =>
        TARGET_RANK[t.status] > 1
          ? t
          : {
              ...t,
              status: "pending",
              attempts: Math.max(t.attempts, Number(p.attempt) || 0),
              next_attempt_at: (p.next_attempt_at as string) ?? null,
              error: (p.error as TargetError) ?? t.error,
            },
      );
      break;
    case "migration_finished":
      // A rehearsal may also run a provider's migration (the region's shared one) for this target:
      // that result belongs to the provider, not to this target's list.
      if (p.on) break;
      next = updateTarget(next, p.target_id, (t) => ({ ...t, migrations: upsertMigration(t.migrations, p) }));
      break;
    case "target_finished":
      next = countInWave(next, p);
      next = updateTarget(next, p.target_id, (t) =>
        TARGET_RANK[t.status] > 1
          ? t
          : {
              ...t,
              status: p.status as ExecutionTarget["status"],
              attempts: Math.max(t.attempts, Number(p.attempts) || 0),
              duration_ms: typeof p.duration_ms === "number" ? p.duration_ms : t.duration_ms,
              error: (p.error as TargetError | null) ?? null,
              completed_at: event.created_at,
              next_attempt_at: null,
            },
      );
      break;
    case "targets_skipped": {
      const ids = new Set((p.target_ids as string[] | undefined) ?? []);
      if (ids.size && next.targets.some((t) => ids.has(t.id) && TARGET_RANK[t.status] < 2)) {
        next = {
          ...next,
          targets: next.targets.map((t) => (ids.has(t.id) && TARGET_RANK[t.status] < 2 ? { ...t, status: "skipped" as const } : t)),
        };
      }
      break;
    }
  }
  return applyWindowEvent(next, event);
}

/**
 * Folds a batch of streamed events into the status, and records that the status now includes the
 * stream up to `lastId` (its `last_event_id`). A status read that lands afterwards with a lower
 * `last_event_id` was read before some of those events (see `missesStreamedEvents`).
 */
export function applyStreamedEvents(detail: ExecutionDetail, events: readonly ExecutionEvent[], lastId: number): ExecutionDetail {
  const next = events.reduce(applyExecutionEvent, detail);
  return next.last_event_id >= lastId ? next : { ...next, last_event_id: lastId };
}

/**
 * The status shown is older than what the stream already applied: a read that was in flight when
 * the stream's events arrived landed after them and put older rows back (an ended execution shown
 * as running, a finished target as running). The page reads the status again.
 */
export const missesStreamedEvents = (detail: ExecutionDetail | undefined, lastStreamedId: number): boolean =>
  !!detail && detail.last_event_id < lastStreamedId;

/** A waved rollout's counters for the finished target's wave, as the event states them (never going back). */
function countInWave(detail: ExecutionDetail, p: Record<string, unknown>): ExecutionDetail {
  const counts = p.wave_progress as { succeeded: number; failed: number; skipped: number } | undefined;
  const index = typeof p.wave === "number" ? p.wave : -1;
  const wave = detail.rollout?.waves[index];
  if (!counts || !wave || counts.succeeded + counts.failed + counts.skipped <= wave.succeeded + wave.failed + wave.skipped) return detail;
  const waves = detail.rollout!.waves.slice();
  waves[index] = { ...wave, succeeded: counts.succeeded, failed: counts.failed, skipped: counts.skipped };
  return { ...detail, rollout: { ...detail.rollout!, waves } };
}

function updateTarget(detail: ExecutionDetail, targetId: unknown, change: (t: ExecutionTarget) => ExecutionTarget): ExecutionDetail {
  const index = detail.targets.findIndex((t) => t.id === targetId);
  if (index === -1) return detail;
  const before = detail.targets[index]!;
  const after = change(before);
  if (after === before) return detail;
  const targets = detail.targets.slice();
  targets[index] = after;
  return { ...detail, targets };
}

function upsertMigration(list: TargetMigration[], p: Record<string, unknown>): TargetMigration[] {
  const id = p.migration_id as string;
  const status = p.status as TargetMigration["status"];
  const changes = {
    status,
    duration_ms: typeof p.duration_ms === "number" ? p.duration_ms : null,
    error: (p.error as TargetError | undefined) ?? null,
  };
  const index = list.findIndex((m) => m.id === id);
  if (index === -1) {
    const [tier = "", rest = ""] = id.split("/");
    const cut = rest.indexOf("_");
    return [
      ...list,
      { id, tier, version: cut === -1 ? rest : rest.slice(0, cut), name: cut === -1 ? "" : rest.slice(cut + 1), checksum: "", locks: null, relations: null, ...changes },
    ];
  }
  const copy = list.slice();
  copy[index] = { ...copy[index]!, ...changes };
  return copy;
}
