import { sql } from "drizzle-orm";
import type { JobHelpers } from "graphile-worker";
import type { Db } from "../db/client";

/**
 * graphile-worker's tables and SQL functions in the control plane (schema `graphile_worker`).
 * Plain SQL: they are the queue's own, not tables drizzle models, and `add_jobs` /
 * `force_unlock_workers` are its documented SQL interface.
 */

/** One job as graphile-worker's `job_spec` type takes it. */
export interface JobSpec {
  identifier: string;
  payload: Record<string, unknown>;
  queue_name: string | null;
  run_at: string | null;
  max_attempts: number;
  job_key: string | null;
  priority: number;
  flags: string[] | null;
}

/** Adds jobs with `add_jobs` in the caller's transaction (`db` is the transaction handle). */
export async function addJobs(db: Pick<Db, "execute">, specs: readonly JobSpec[]): Promise<void> {
  await db.execute(sql`
    select 1 from graphile_worker.add_jobs(
      array(select json_populate_recordset(null::graphile_worker.job_spec, ${JSON.stringify(specs)}::json)),
      false)`);
}

/** No more attempts for this job: graphile-worker only picks jobs with attempts < max_attempts. */
export async function stopRetryingJob(helpers: Pick<JobHelpers, "query">, jobId: string): Promise<void> {
  await helpers.query("update graphile_worker._private_jobs set max_attempts = attempts where id = $1", [jobId]);
}

/** Unlocks every job and queue locked under these worker ids (graphile-worker's own function). */
export async function forceUnlockWorkers(db: Pick<Db, "execute">, workerIds: readonly string[]): Promise<void> {
  await db.execute(sql`select graphile_worker.force_unlock_workers(${sql.param(workerIds)}::text[])`);
}
