import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * Worker processes' heartbeat rows (`console.workers`). Plain SQL: the heartbeat is an upsert that
 * keeps the first start and `now()` by the database's clock, and finding orphaned locks joins the
 * heartbeats with graphile-worker's jobs, a table drizzle does not model.
 */

type Executor = Pick<Db, "execute">;

export interface WorkerBeat {
  id: string;
  hostname: string;
  pid: number;
  kind: string;
  concurrency: number;
  queueWorkerIds: readonly string[];
  runningJobs: number;
  version: string;
}

/** Inserts the worker's row or refreshes it: the job-lock ids, the running jobs, last_seen_at = now(). */
export async function upsertHeartbeat(db: Executor, w: WorkerBeat): Promise<void> {
  await db.execute(sql`
    insert into console.workers (id, hostname, pid, kind, concurrency, queue_worker_ids, running_jobs, version, last_seen_at)
    values (${w.id}, ${w.hostname}, ${w.pid}, ${w.kind}, ${w.concurrency}, ${sql.param(w.queueWorkerIds)}::text[], ${w.runningJobs}, ${w.version}, now())
    on conflict (id) do update set queue_worker_ids = excluded.queue_worker_ids, running_jobs = excluded.running_jobs,
      last_seen_at = now()`);
}

export async function deleteWorker(db: Executor, id: string): Promise<void> {
  await db.execute(sql`delete from console.workers where id = ${id}`);
}

/** Deletes the rows of other workers silent for `staleAfterMs`; returns them with their job-lock ids. */
export async function deleteStaleWorkers(
  db: Executor,
  selfId: string,
  staleAfterMs: number,
): Promise<Array<{ id: string; queue_worker_ids: string[] }>> {
  const { rows } = await db.execute<{ id: string; queue_worker_ids: string[] }>(sql`
    delete from console.workers
     where id <> ${selfId} and last_seen_at < now() - make_interval(secs => ${staleAfterMs / 1000})
    returning id, queue_worker_ids`);
  return rows;
}

/** Job-lock ids older than `staleAfterMs` that no live worker claims (a process that died before its first beat). */
export async function findOrphanedLockers(db: Executor, staleAfterMs: number): Promise<string[]> {
  const { rows } = await db.execute<{ locked_by: string }>(sql`
    select distinct j.locked_by from graphile_worker.jobs j
     where j.locked_by is not null and j.locked_at < now() - make_interval(secs => ${staleAfterMs / 1000})
       and not exists (
         select 1 from console.workers w
          where j.locked_by = any(w.queue_worker_ids) and w.last_seen_at >= now() - make_interval(secs => ${staleAfterMs / 1000}))`);
  return rows.map((r) => r.locked_by);
}
