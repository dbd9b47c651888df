import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

/**
 * Execution events: every state change of an execution is a row of `execution_events` plus a
 * NOTIFY on EVENTS_CHANNEL, written in the same statement (so in the same transaction as the change
 * itself). The SSE endpoint replays rows by id and uses the notifications only to wake up, so any
 * console instance can serve any execution and a reconnecting client misses nothing.
 */

export const EVENTS_CHANNEL = "console_execution_events";

/**
 * What the stream carries. Payloads (snake_case JSON):
 *  - execution_created       { execution: ExecutionSummary }
 *  - execution_approved      { approved_by, approved_at }
 *  - execution_started       { progress }
 *  - target_waiting          { target_id, target, waiting_for: [{ target_id, target, status }] }
 *  - target_started          { target_id, target, attempt, progress }
 *  - migration_started       { target_id, target, migration_id, mode }
 *  - migration_finished      { target_id, target, migration_id, mode, status, duration_ms, error? }
 *  - target_retry_scheduled  { target_id, target, attempt, max_attempts, delay_ms, next_attempt_at, error }
 *  - target_finished         { target_id, target, status, attempts, duration_ms, applied_count, error, progress }
 *  - targets_skipped         { count, reason, target_ids (first 1,000), progress }
 *  - cancel_requested        { requested_by, progress }
 *  - execution_finished      { status, error_message, completed_at, progress }
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
  "execution_finished",
] as const;
export type ExecutionEventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  type: ExecutionEventType;
  payload: Record<string, unknown>;
}

type Executor = Pick<Db, "execute">;

/**
 * Appends events in order and notifies listeners. Must run inside a transaction, as its last
 * statement (the caller's changes commit with their events).
 *
 * Ids come from a sequence, and transactions commit in any order: without care, a reader could
 * see event 59 committed before 58 and, resuming "after 59", never see 58. So every writer of an
 * execution's events first locks the execution's row (a no-op for transactions that already hold
 * it, as every state change does): writers of one execution get their ids and commit one after
 * the other, and for each execution id order is commit order. Taking the execution row, and no
 * other lock, first also keeps the lock order every other path uses (execution, then targets).
 * The notification carries `<execution id>:<last event id>`; PostgreSQL delivers it at commit.
 */
export async function appendEvents(
  tx: Executor,
  executionId: string,
  events: readonly NewEvent[],
  opts: { locked?: boolean } = {},
): Promise<void> {
  if (events.length === 0) return;
  // `locked`: the caller already holds the execution's row (lockExecution) in this transaction.
  if (!opts.locked) await tx.execute(sql`select 1 from console.executions where id = ${executionId}::uuid for no key update`);
  await tx.execute(sql`
    with ins as (
      insert into console.execution_events (execution_id, type, payload)
      select ${executionId}::uuid, e.value ->> 'type', e.value -> 'payload'
        from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(value, ord)
       order by e.ord
      returning id
    )
    select pg_notify(${EVENTS_CHANNEL}, ${executionId} || ':' || max(id)) from ins`);
}

export interface StoredEvent {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** Events of an execution after `afterId`, oldest first. */
export async function readEvents(db: Executor, executionId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
  const { rows } = await db.execute<{ id: string; type: string; payload: Record<string, unknown>; created_at: Date }>(sql`
    select id, type, payload, created_at from console.execution_events
     where execution_id = ${executionId}::uuid and id > ${afterId}
     order by id limit ${limit}`);
  return rows.map((r) => ({ id: Number(r.id), type: r.type, payload: r.payload, createdAt: new Date(r.created_at) }));
}

/** The id of an execution's newest event (0 when it has none): where a client's stream resumes. */
export async function lastEventId(db: Executor, executionId: string): Promise<number> {
  const { rows } = await db.execute<{ id: string | null }>(sql`
    select max(id) as id from console.execution_events where execution_id = ${executionId}::uuid`);
  return Number(rows[0]?.id ?? 0);
}
