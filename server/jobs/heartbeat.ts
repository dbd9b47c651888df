import { hostname } from "node:os";
import { getSettings } from "../config/settings";
import { getDb } from "../db/client";
import { getLogger } from "../logging/logger";
import { forceUnlockWorkers } from "../queue/repository";
import { deleteStaleWorkers, deleteWorker, findOrphanedLockers, upsertHeartbeat } from "./workers-repository";

/**
 * Worker heartbeats and the release of dead workers' jobs.
 *
 * graphile-worker frees a job locked by a worker that died only after 4 hours. Here every worker
 * process refreshes its row in `console.workers` every WORKER_HEARTBEAT_INTERVAL_MS, listing the
 * ids its job locks are recorded under, and on the same beat looks for workers that fell silent
 * for WORKER_STALE_AFTER_MS: it deletes their rows (one live worker wins that race) and unlocks
 * their jobs and queues, which any worker then picks up at its next poll. Jobs locked under an id
 * no live worker claims (a process that died before its first beat) are released the same way once
 * their lock is older than the stale limit. Re-running a target is safe: its history table makes
 * the engine skip what the dead worker applied, and its row's compare-and-set transitions keep the
 * counters right.
 */

export interface HeartbeatOptions {
  id: string;
  kind: "in-process" | "standalone";
  concurrency: number;
  version: string;
  queueWorkerIds: () => string[];
  runningJobs: () => number;
}

export interface Heartbeat {
  beat(): Promise<void>;
  stop(): Promise<void>;
}

export function startHeartbeat(opts: HeartbeatOptions): Heartbeat {
  const { intervalMs, staleAfterMs } = getSettings().workerHeartbeat;
  const log = getLogger().child({ service: "worker-heartbeat", workerId: opts.id });
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const beat = async () => {
    await upsertHeartbeat(getDb(), {
      id: opts.id,
      hostname: hostname(),
      pid: process.pid,
      kind: opts.kind,
      concurrency: opts.concurrency,
      queueWorkerIds: opts.queueWorkerIds(),
      runningJobs: opts.runningJobs(),
      version: opts.version,
    });
    const released = await releaseDeadWorkers(opts.id, staleAfterMs);
    if (released.workers.length > 0 || released.lockers.length > 0) {
      log.warn({ deadWorkers: released.workers, lockers: released.lockers }, "released the jobs of workers that stopped sending heartbeats");
    }
  };

  const tick = () => {
    if (stopped) return;
    running = beat().catch((error: unknown) => log.warn({ err: error }, "worker heartbeat failed"));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    beat,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await deleteWorker(getDb(), opts.id).catch((error: unknown) => log.warn({ err: error }, "removing the worker's heartbeat row failed"));
    },
  };
}

/** Deletes stale worker rows and unlocks every job and queue held under an id no live worker claims. */
export async function releaseDeadWorkers(selfId: string, staleAfterMs: number): Promise<{ workers: string[]; lockers: string[] }> {
  const db = getDb();
  const dead = await deleteStaleWorkers(db, selfId, staleAfterMs);
  const orphaned = await findOrphanedLockers(db, staleAfterMs);
  const lockers = [...new Set([...dead.flatMap((r) => r.queue_worker_ids), ...orphaned])];
  if (lockers.length > 0) await forceUnlockWorkers(db, lockers);
  return { workers: dead.map((r) => r.id), lockers };
}
