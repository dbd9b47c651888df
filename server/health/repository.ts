import { sql } from "drizzle-orm";
import type pg from "pg";
import type { Db } from "../db/client";
import type { ExecutionKind, ExecutionStatus } from "../domain/executions";
import { sqlState } from "../db/sql-state";

/**
 * What the health checks and metrics read from the control plane. Read-only aggregates over
 * other features' tables (the workers' heartbeats, executions, the job queue) and the migrator's
 * own table, one statement each, so that a check costs one round trip per question however many
 * features it asks about. Plain SQL: `count(*) filter (…)` and `::int`-cast aggregates (so pg hands
 * back numbers), and tables drizzle does not model (graphile-worker's, drizzle's migration journal).
 *
 * Some are read through the pool rather than drizzle: pg's errors keep their SQLSTATE on the
 * error itself there (drizzle wraps them), which the "table does not exist yet" answers rely on.
 */

type Queryable = Pick<pg.Pool, "query">;
type Executor = Pick<Db, "execute">;

/** Where graphile-worker keeps its jobs in the control-plane database (its default schema). */
const QUEUE_SCHEMA = "graphile_worker";

/** Control-plane migrations recorded as applied, and the newest one's `created_at` (folder millis). */
export async function appliedControlPlaneMigrations(pool: Queryable): Promise<{ applied: number; newest: string | null }> {
  try {
    const { rows } = await pool.query<{ applied: number; newest: string | null }>(
      "select count(*)::int as applied, max(created_at)::text as newest from console.__drizzle_migrations",
    );
    return rows[0] ?? { applied: 0, newest: null };
  } catch (error) {
    // No migrations table yet: reachable, nothing applied.
    if ((error as { code?: string }).code === "42P01") return { applied: 0, newest: null };
    throw error;
  }
}

export type QueueCounts = {
  ready: number;
  scheduled: number;
  running: number;
  failed: number;
  /** Seconds since the oldest ready job became due; null when none is ready. */
  oldest: number | null;
};

/**
 * The job queue's depth from graphile-worker's own table (one scan of the jobs still in the queue:
 * finished jobs are deleted, so the table stays small); null before any worker has installed the
 * queue's schema.
 */
export async function queueDepthCounts(pool: Queryable): Promise<QueueCounts | null> {
  const exists = await pool.query<{ t: string | null }>("select to_regclass($1)::text as t", [`${QUEUE_SCHEMA}._private_jobs`]);
  if (!exists.rows[0]?.t) return null;
  const { rows } = await pool.query<QueueCounts>(
    `select count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now())::int as ready,
            count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now())::int as scheduled,
            count(*) filter (where locked_at is not null)::int as running,
            count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed,
            extract(epoch from now() - min(run_at) filter (where locked_at is null and attempts < max_attempts and run_at <= now()))::float8 as oldest
       from ${QUEUE_SCHEMA}._private_jobs`,
  );
  return rows[0] ?? { ready: 0, scheduled: 0, running: 0, failed: 0, oldest: null };
}

/** The same counts through graphile-worker's `jobs` view; null while the queue's schema does not exist. */
export async function queueStateCounts(db: Executor): Promise<QueueCounts | null> {
  try {
    const { rows } = await db.execute<QueueCounts>(sql`
      select count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now())::int as ready,
             count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now())::int as scheduled,
             count(*) filter (where locked_at is not null)::int as running,
             count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed,
             extract(epoch from now() - min(run_at) filter (where locked_at is null and attempts < max_attempts and run_at <= now()))::float8 as oldest
        from graphile_worker.jobs`);
    return rows[0]!;
  } catch (error) {
    // Undefined table or schema: no worker or execution has created the queue yet.
    const code = sqlState(error);
    if (code === "42P01" || code === "3F000") return null;
    throw error;
  }
}

export type WorkerLivenessCounts = {
  live: number;
  stale: number;
  running: number;
  last: Date | null;
};

/** Worker rows by whether their heartbeat is fresher than `staleAfterMs`. */
export async function workerLivenessCounts(pool: Queryable, staleAfterMs: number): Promise<WorkerLivenessCounts | undefined> {
  const { rows } = await pool.query<WorkerLivenessCounts>(
    `select count(*) filter (where last_seen_at > now() - make_interval(secs => $1))::int as live,
            count(*) filter (where last_seen_at <= now() - make_interval(secs => $1))::int as stale,
            coalesce(sum(running_jobs) filter (where last_seen_at > now() - make_interval(secs => $1)), 0)::int as running,
            max(last_seen_at) as last
       from console.workers`,
    [staleAfterMs / 1000],
  );
  return rows[0];
}

export type WorkerHeartbeatRow = {
  id: string;
  hostname: string;
  pid: number;
  kind: string;
  concurrency: number;
  running_jobs: number;
  version: string;
  started_at: Date;
  last_seen_at: Date;
  alive: boolean;
};

/** Every worker row, oldest first, `alive` when its heartbeat is fresher than `staleAfterMs`. */
export async function listWorkerHeartbeats(db: Executor, staleAfterMs: number): Promise<WorkerHeartbeatRow[]> {
  const { rows } = await db.execute<WorkerHeartbeatRow>(sql`
    select id, hostname, pid, kind, concurrency, running_jobs, version, started_at, last_seen_at,
           last_seen_at >= now() - make_interval(secs => ${staleAfterMs / 1000}) as alive
      from console.workers order by started_at`);
  return rows;
}

/** Executions running, and those waiting for an approval. */
export async function activeExecutionCounts(db: Executor): Promise<{ in_progress: number; awaiting_approval: number } | undefined> {
  const { rows } = await db.execute<{ in_progress: number; awaiting_approval: number }>(sql`
    select count(*) filter (where status = 'in_progress')::int as in_progress,
           count(*) filter (where status = 'pending' and approved_at is null)::int as awaiting_approval
      from console.executions where status in ('in_progress', 'pending')`);
  return rows[0];
}

export interface ExecutionCountRow {
  kind: ExecutionKind;
  status: ExecutionStatus;
  executions: number;
  /** Targets of those executions by result (the executions' own counters). */
  succeeded_targets: number;
  failed_targets: number;
  skipped_targets: number;
}

/** Executions and their targets by kind and status (one row per execution read, whatever the fleet's size). */
export async function countExecutionsByKindAndStatus(pool: Queryable): Promise<ExecutionCountRow[]> {
  const { rows } = await pool.query<ExecutionCountRow>(
    `select kind::text as kind, status::text as status, count(*)::int as executions,
            coalesce(sum(completed_targets), 0)::int as succeeded_targets,
            coalesce(sum(failed_targets), 0)::int as failed_targets,
            coalesce(sum(skipped_targets), 0)::int as skipped_targets
       from console.executions
      group by kind, status`,
  );
  return rows;
}
