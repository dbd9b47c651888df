import "server-only";
import { getPool } from "../db/client";
import type { QueueDepth } from "./schemas";
import { CONTROL_PLANE_TIMEOUT_MS } from "./control-plane";
import { withTimeout } from "./timeout";

/** Where graphile-worker keeps its jobs in the control-plane database (its default schema). */
export const QUEUE_SCHEMA = "graphile_worker";

const EMPTY: QueueDepth = { available: false, ready: 0, scheduled: 0, running: 0, failed: 0, oldest_ready_age_seconds: null };

/**
 * The job queue's depth, read from graphile-worker's own table (one scan of the jobs still in the
 * queue: finished jobs are deleted, so the table stays small). Before any worker has installed the
 * queue's schema, `available` is false and every count is 0.
 */
export async function queueDepth(): Promise<QueueDepth> {
  return withTimeout(readQueueDepth(), CONTROL_PLANE_TIMEOUT_MS, "the job queue");
}

async function readQueueDepth(): Promise<QueueDepth> {
  const pool = getPool();
  const exists = await pool.query<{ t: string | null }>("select to_regclass($1)::text as t", [`${QUEUE_SCHEMA}._private_jobs`]);
  if (!exists.rows[0]?.t) return EMPTY;
  const { rows } = await pool.query<{
    ready: number;
    scheduled: number;
    running: number;
    failed: number;
    oldest: number | null;
  }>(
    `select count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now())::int as ready,
            count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now())::int as scheduled,
            count(*) filter (where locked_at is not null)::int as running,
            count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed,
            extract(epoch from now() - min(run_at) filter (where locked_at is null and attempts < max_attempts and run_at <= now()))::float8 as oldest
       from ${QUEUE_SCHEMA}._private_jobs`,
  );
  const r = rows[0];
  if (!r) return { ...EMPTY, available: true };
  return {
    available: true,
    ready: r.ready,
    scheduled: r.scheduled,
    running: r.running,
    failed: r.failed,
    oldest_ready_age_seconds: r.oldest === null ? null : Math.round(r.oldest * 10) / 10,
  };
}
