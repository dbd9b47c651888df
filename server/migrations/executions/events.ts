/**
 * Execution events: every state change of an execution is a row of `execution_events` plus a
 * NOTIFY on the events channel, written in the same statement (so in the same transaction as the
 * change itself; see events-repository.ts). The SSE endpoint replays rows by id and uses the
 * notifications only to wake up, so any console instance can serve any execution and a
 * reconnecting client misses nothing.
 */

/**
 * What the stream carries. Payloads (snake_case JSON):
 *  - execution_created       { execution: ExecutionSummary }
 *  - execution_approved      { approved_by, approved_at }
 *  - execution_started       { progress }
 *  - target_waiting          { target_id, target, waiting_for: [{ target_id, target, status }], window?: { opens_at, source } }
 *  - target_started          { target_id, target, attempt, progress }
 *  - migration_started       { target_id, target, migration_id, mode }
 *  - migration_finished      { target_id, target, migration_id, mode, status, duration_ms, error? }
 *  - target_retry_scheduled  { target_id, target, attempt, max_attempts, delay_ms, next_attempt_at, error }
 *  - target_finished         { target_id, target, status, attempts, duration_ms, applied_count, error, progress }
 *  - targets_skipped         { count, reason, target_ids (first 1,000), progress }
 *  - cancel_requested        { requested_by, progress }
 *  - wave_started            { wave, label, total, starts_at, soak_seconds, rollout }: a waved rollout's next wave (its targets start at starts_at)
 *  - execution_halted        { wave, label, reason, progress, rollout }: the halt rule stopped the rollout
 *  - execution_resumed       { resumed_by, wave, retried, retried_target_ids (first 1,000: queued again), progress, rollout }
 *  - execution_finished      { status, error_message, completed_at, progress }
 *  - window_overridden       { by, reason, at, targets_released }
 * `target` is "<connection name>/<schema>"; `progress` is the ExecutionProgress shape.
 */
export const EVENT_TYPES = [
  "execution_created",
  "execution_approved",
  "execution_started",
  "target_waiting",
  "target_started",
  "migration_started",
  "migration_finished",
  "target_retry_scheduled",
  "target_finished",
  "targets_skipped",
  "cancel_requested",
  "wave_started",
  "execution_halted",
  "execution_resumed",
  "execution_finished",
  "window_overridden",
] as const;
export type ExecutionEventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  type: ExecutionEventType;
  payload: Record<string, unknown>;
}
