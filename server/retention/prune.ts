import { makeWorkerUtils } from "graphile-worker";
import type pg from "pg";
import { ensureJobQueue, queueLogger } from "../queue/job-queue";

/** Rows deleted per statement: short transactions, no long lock on the events table. */
const BATCH = 5_000;
/** Only one console instance prunes at a time (a session advisory lock, tried, never waited for). */
const RETENTION_LOCK_KEY = 7_310_442_017;

export interface PruneResult {
  ran: boolean;
  executionEvents: number;
  auditRows: number;
}

export interface PruneOptions {
  /** Keep the events of executions that finished fewer days ago; 0 keeps them forever. */
  eventsDays: number;
  /** Keep audit rows younger than this many days; 0 (the default) keeps the audit trail forever. */
  auditDays?: number;
}

/** Deletes with `sql` (a statement taking the days and the batch size) until a batch comes back short. */
async function deleteInBatches(client: pg.PoolClient, sql: string, days: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await client.query(sql, [days, BATCH]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return deleted;
  }
}

/**
 * What the control plane stops keeping: the event stream of executions that finished more than
 * `eventsDays` ago (the execution, its targets and their results stay: that is the history), audit
 * rows older than `auditDays` when the operator set a window, and the job queue's permanently failed
 * jobs and unused queues (each target's outcome is recorded on the target itself).
 */
export async function pruneControlPlane(pool: pg.Pool, opts: PruneOptions): Promise<PruneResult> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [RETENTION_LOCK_KEY]);
    if (!rows[0]?.locked) return { ran: false, executionEvents: 0, auditRows: 0 };
    try {
      const executionEvents =
        opts.eventsDays > 0
          ? await deleteInBatches(
              client,
              `delete from console.execution_events where id in (
                 select e.id from console.execution_events e
                   join console.executions x on x.id = e.execution_id
                  where x.completed_at < now() - make_interval(days => $1)
                  limit $2)`,
              opts.eventsDays,
            )
          : 0;
      const auditDays = opts.auditDays ?? 0;
      const auditRows =
        auditDays > 0
          ? await deleteInBatches(
              client,
              `delete from console.audit_log where id in (
                 select id from console.audit_log where at < now() - make_interval(days => $1) order by at limit $2)`,
              auditDays,
            )
          : 0;
      await ensureJobQueue();
      const utils = await makeWorkerUtils({ pgPool: pool, logger: queueLogger() });
      try {
        await utils.cleanup({ tasks: ["DELETE_PERMAFAILED_JOBS", "GC_JOB_QUEUES"] });
      } finally {
        await utils.release();
      }
      return { ran: true, executionEvents, auditRows };
    } finally {
      await client.query("select pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
