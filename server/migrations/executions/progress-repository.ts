import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { NewEvent } from "./events";
import { EVENTS_CHANNEL } from "./events-repository";

/**
 * A target's start and its end as ONE statement each on the execution's row. Every start and end of
 * every target of an execution locks that row (its counters change one at a time, and events of one
 * execution get their ids in commit order, see appendEvents), whichever worker runs the target. A
 * lock taken by a transaction is held until its commit, so each round trip between the lock and the
 * commit is a turn all the other workers wait for: on a loaded two-core box one round trip under the
 * lock cost 10–50 ms, and with four worker processes a target waited 160–200 ms at its start and as
 * much at its end (bench/RESULTS.md, workers). Here the lock is taken by the statement that also
 * writes the target's event: a start runs on its own (the lock lasts for the statement and its
 * commit, no round trip), an end is the last statement of its transaction (one round trip: the
 * commit).
 *
 * Plain SQL: the execution's row, the target's row and the events are changed in one statement
 * (data-modifying WITH), and the event's progress is computed from the row as the statement left
 * it, which drizzle's builder cannot express. `progressJson` mirrors progressView (progress.ts) and
 * the ETA mirrors estimateCompletion; tests/executions/progress-statements.test.ts holds them equal.
 */

type Executor = Pick<Db, "execute">;

/** progressView (progress.ts) of the execution row `x` in SQL. */
function progressJson(x: string): SQL {
  const r = sql.raw(x);
  const done = sql`(${r}.completed_targets + ${r}.failed_targets + ${r}.skipped_targets)`;
  return sql`jsonb_build_object(
      'total_targets', ${r}.total_targets,
      'completed_targets', ${r}.completed_targets,
      'failed_targets', ${r}.failed_targets,
      'skipped_targets', ${r}.skipped_targets,
      'remaining_targets', greatest(0, ${r}.total_targets - ${done}),
      'current_target', ${r}.current_target,
      'estimated_completion', to_char(${r}.estimated_completion at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'completion_percentage', case when ${r}.total_targets = 0 then 100
        else floor(${done}::float8 / ${r}.total_targets * 1000 + 0.5) / 10 end)`;
}

/**
 * queued/running → running, one more attempt, with its `target_started` event, in one statement:
 * only while the execution is in progress and no cancel was asked (the execution's row is locked
 * first), and only from `pending` or `running` (a duplicate job finds it moved on, and the execution
 * keeps its current target); the execution then names the target as its current one. The attempt number, or null when nothing started. A concurrent cancel holds
 * the execution's row while it skips queued targets: this statement waits for it and then finds
 * the cancel, as locking first and reading after did.
 */
export async function startTargetWithEvent(
  db: Executor,
  t: { executionId: string; targetId: string; label: string; now: Date },
): Promise<{ attempt: number } | null> {
  const { rows } = await db.execute<{ attempts: number }>(sql`
    with ex as (
      select id from console.executions
       where id = ${t.executionId}::uuid and status = 'in_progress' and cancel_requested_at is null
         for no key update
    ), started as (
      update console.execution_targets
         set status = 'running', next_attempt_at = null, waiting_since = null,
             attempts = attempts + 1, started_at = coalesce(started_at, now())
       where id = ${t.targetId}::uuid and status in ('pending', 'running') and exists (select 1 from ex)
      returning id, attempts
    ), cur as (
      update console.executions
         set current_target = ${t.label}, started_at = coalesce(started_at, ${t.now.toISOString()}::timestamptz)
       where id in (select id from ex) and exists (select 1 from started)
      returning *
    ), ins as (
      insert into console.execution_events (execution_id, type, payload)
      select cur.id, 'target_started',
             jsonb_build_object('target_id', started.id, 'target', ${t.label}::text, 'attempt', started.attempts, 'progress', ${progressJson("cur")})
        from cur, started
      returning id
    )
    select started.attempts, (select pg_notify(${EVENTS_CHANNEL}, ${t.executionId} || ':' || max(id)) from ins) as notified
      from started`);
  const row = rows[0];
  return row ? { attempt: Number(row.attempts) } : null;
}

export interface CountedFinish {
  status: string;
  done: number;
  total: number;
}

/**
 * One finished target counted into its execution (counters and ETA), and `events` appended after
 * it — the last of them the target's `target_finished`, which gets the execution's progress as
 * counted here — in one statement, the last of the caller's transaction. Returns the counters as
 * they now are, for the caller to end the execution when none remain (applyFinished's end).
 */
export async function countFinishedWithEvents(
  db: Executor,
  c: { executionId: string; completed: number; failed: number; skipped: number; now: Date; events: readonly NewEvent[] },
): Promise<CountedFinish | null> {
  const finished = c.completed + c.failed + c.skipped;
  const done = sql`(completed_targets + failed_targets + skipped_targets + ${finished})`;
  const now = sql`${c.now.toISOString()}::timestamptz`;
  const { rows } = await db.execute<{ status: string; done: number; total: number }>(sql`
    with ex as (
      update console.executions
         set completed_targets = completed_targets + ${c.completed},
             failed_targets = failed_targets + ${c.failed},
             skipped_targets = skipped_targets + ${c.skipped},
             estimated_completion = case
               when started_at is null or ${done} <= 0 or ${done} >= total_targets then null
               else ${now} + round(greatest(extract(epoch from ${now} - started_at) * 1000, 1) / ${done} * (total_targets - ${done}))
                    * interval '1 millisecond' end
       where id = ${c.executionId}::uuid
      returning *
    ), ins as (
      insert into console.execution_events (execution_id, type, payload)
      select ex.id, e.value ->> 'type',
             case when e.ord = ${c.events.length} then (e.value -> 'payload') || jsonb_build_object('progress', ${progressJson("ex")})
                  else e.value -> 'payload' end
        from ex, jsonb_array_elements(${JSON.stringify(c.events)}::jsonb) with ordinality as e(value, ord)
       order by e.ord
      returning id
    )
    select ex.status, (ex.completed_targets + ex.failed_targets + ex.skipped_targets) as done, ex.total_targets as total,
           (select pg_notify(${EVENTS_CHANNEL}, ${c.executionId} || ':' || max(id)) from ins having count(*) > 0) as notified
      from ex`);
  const row = rows[0];
  return row ? { status: row.status, done: Number(row.done), total: Number(row.total) } : null;
}
