import { makeWorkerUtils } from "graphile-worker";
import type pg from "pg";
import { ensureJobQueue, queueLogger } from "../jobs/queue";

/** Rows deleted per statement: short transactions, no long lock on the events table. */
const BATCH = 5_000;
/** Only one console instance prunes at a time (a session advisory lock, tried, never waited for). */
const RETENTION_LOCK_KEY = 7_310_442_017;

export interface PruneResult {
  ran: boolean;
  executionEvents: number;
}

/**
 * What the control plane stops keeping: the event stream of executions that finished more than
 * `eventsDays` ago (the execution, its targets and their results stay: that is the history), and
 * the job queue's permanently failed jobs and unused queues (each target's outcome is recorded on
 * the target itself). `eventsDays` 0 keeps events forever.
 */
export async function pruneControlPlane(pool: pg.Pool, opts: { eventsDays: number }): Promise<PruneResult> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [RETENTION_LOCK_KEY]);
    if (!rows[0]?.locked) return { ran: false, executionEvents: 0 };
    try {
      let executionEvents = 0;
      if (opts.eventsDays > 0) {
        for (;;) {
          const { rowCount } = await client.query(
            `delete from console.execution_events where id in (
               select e.id from console.execution_events e
                 join console.executions x on x.id = e.execution_id
                where x.completed_at < now() - make_interval(days => $1)
                limit $2)`,
            [opts.eventsDays, BATCH],
          );
          executionEvents += rowCount ?? 0;
          if ((rowCount ?? 0) < BATCH) break;
        }
      }
      await ensureJobQueue();
      const utils = await makeWorkerUtils({ pgPool: pool, logger: queueLogger() });
      try {
        await utils.cleanup({ tasks: ["DELETE_PERMAFAILED_JOBS", "GC_JOB_QUEUES"] });
      } finally {
        await utils.release();
      }
      return { ran: true, executionEvents };
    } finally {
      await client.query("select pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
