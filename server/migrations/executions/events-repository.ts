import type pg from "pg";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { NewEvent } from "./events";

/**
 * The execution_events table and its notification channel. Plain SQL throughout: the events are
 * inserted from one jsonb array (jsonb_array_elements keeps their order in one statement) and the
 * NOTIFY rides on the same statement, which drizzle's builder cannot express.
 */

export const EVENTS_CHANNEL = "console_execution_events";

type Executor = Pick<Db, "execute">;

/**
 * Appends events in order and notifies listeners. Runs inside the caller's transaction, as its last
 * statement (the caller's changes commit with their events), or on its own (one statement, so its
 * own transaction).
 *
 * Ids come from a sequence, and transactions commit in any order: without care, a reader could
 * see event 59 committed before 58 and, resuming "after 59", never see 58. So every writer of an
 * execution's events locks the execution's row before its events get their ids (a no-op for
 * transactions that already hold it, as every state change does): writers of one execution get
 * their ids and commit one after the other, and for each execution id order is commit order.
 * Events take no other lock, so they fit every path's lock order. The lock is taken inside the INSERT's own statement (its rows
 * come from a join with the locked row, so no id is drawn before the lock is held): run on its own,
 * the statement holds the lock for no round trip at all, which matters when many workers write
 * one execution's events. The notification carries `<execution id>:<last event id>`; PostgreSQL
 * delivers it at commit.
 */
export async function appendEvents(
  tx: Executor,
  executionId: string,
  events: readonly NewEvent[],
  opts: { locked?: boolean } = {},
): Promise<void> {
  if (events.length === 0) return;
  // `locked`: the caller already holds the execution's row (lockExecution) in this transaction.
  if (opts.locked) {
    await tx.execute(sql`
      with ins as (
        insert into console.execution_events (execution_id, type, payload)
        select ${executionId}::uuid, e.value ->> 'type', e.value -> 'payload'
          from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(value, ord)
         order by e.ord
        returning id
      )
      select pg_notify(${EVENTS_CHANNEL}, ${executionId} || ':' || max(id)) from ins`);
    return;
  }
  await tx.execute(sql`
    with execution as (
      select id from console.executions where id = ${executionId}::uuid for no key update
    ), ins as (
      insert into console.execution_events (execution_id, type, payload)
      select execution.id, e.value ->> 'type', e.value -> 'payload'
        from execution, jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(value, ord)
       order by e.ord
      returning id
    )
    select pg_notify(${EVENTS_CHANNEL}, ${executionId} || ':' || max(id)) from ins having count(*) > 0`);
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

/**
 * Subscribes a dedicated session (not a pooled one: LISTEN belongs to the session) to the events
 * channel; its `notification` events then carry `<execution id>:<last event id>`.
 */
export async function listenForEvents(client: pg.ClientBase): Promise<void> {
  await client.query(`listen ${EVENTS_CHANNEL}`);
}
