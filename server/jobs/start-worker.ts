import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { run, type Runner, type WorkerEvents, type WorkerPool } from "graphile-worker";
import pg from "pg";
import { getSettings } from "../config/settings";
import { getLogger } from "../logging/logger";
import type { BackgroundService } from "../lifecycle/background-service";
import { startHeartbeat } from "./heartbeat";
import { deliverWebhookTask } from "./deliver-webhook-task";
import { migrateTargetTask } from "./migrate-target-task";
import { DELIVER_WEBHOOK_TASK, ensureJobQueue, MIGRATE_TARGET_TASK, queueLogger } from "../queue/job-queue";

/**
 * A migration worker: graphile-worker running `migrate_target` jobs (and `deliver_webhook` ones),
 * MIGRATION_BATCH_SIZE at a time, plus its heartbeat. The console starts WORKERS of these in its own process; `npm run
 * worker` starts one as a process of its own, on any machine that reaches the control plane.
 *
 * Stopping is graceful: no new jobs are taken; running targets get a few seconds to finish, then
 * are told to stop after their current migration and are handed back to the queue for another
 * worker. A worker killed outright is noticed by the others through its missing heartbeats.
 */

const NUDGE_AFTER_MS = [10, 40, 120, 300];

export interface MigrationWorker extends BackgroundService {
  id: string;
  /** graphile-worker's ids of this worker's job runners (what its job locks are recorded under). */
  queueWorkerIds: () => string[];
}

export interface StartWorkerOptions {
  kind: "in-process" | "standalone";
  concurrency?: number;
}

export async function startMigrationWorker(opts: StartWorkerOptions): Promise<MigrationWorker> {
  const settings = getSettings();
  if (!settings.databaseUrl) throw new Error("DATABASE_URL is not set: the worker needs the control-plane database");
  await ensureJobQueue();
  const concurrency = opts.concurrency ?? settings.migrations.batchSize;
  const id = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const log = getLogger().child({ service: "migration-worker", workerId: id });

  const queueIds = new Set<string>();
  let runningJobs = 0;
  const events = new EventEmitter() as WorkerEvents;
  let workerPool: WorkerPool | null = null;
  let stopped = false;
  // graphile-worker asserts when a stopped pool is nudged, and a timer firing during shutdown would
  // turn that into an uncaught exception.
  const nudge = () => {
    if (stopped || !workerPool) return;
    try {
      workerPool.nudge(1);
    } catch {
      // The pool is shutting down; nothing is waiting for work any more.
    }
  };
  events.on("pool:create", ({ workerPool: created }) => {
    workerPool = created;
    queueIds.add(created.id);
  });
  events.on("worker:create", ({ worker }) => queueIds.add(worker.workerId));
  events.on("job:start", () => runningJobs++);
  events.on("job:complete", () => {
    runningJobs--;
    // A job's queue is unlocked by a completion query sent as the job returns, but the worker
    // looks for its next job at the same moment and usually still finds the queue locked; the
    // other idle workers would only look again after MIGRATION_POLL_INTERVAL_MS. Waking them a
    // moment later lets the next target of that database start at once (measured: without it,
    // a quarter of each per-database slot's time went unused at the default 1 s poll).
    for (const ms of NUDGE_AFTER_MS) setTimeout(nudge, ms).unref();
  });
  events.on("job:error", ({ job, error }) => {
    if (job.task_identifier === DELIVER_WEBHOOK_TASK) return; // its attempts are logged and recorded by the delivery itself
    log.warn({ err: error, jobId: job.id, attempts: job.attempts }, "migrate_target job failed (the control plane was unavailable, or the payload was invalid)");
  });

  // The queue's own pool: its LISTEN session and job bookkeeping must not wait behind the API's queries.
  const pool = new pg.Pool({
    connectionString: settings.databaseUrl,
    max: concurrency + 3,
    application_name: `infrastructure-console:worker`,
  });
  // A session dropped by the server (idle or checked out) must not crash the process; the next
  // query on it reports the problem.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));

  const heartbeat = startHeartbeat({
    id,
    kind: opts.kind,
    concurrency,
    version: settings.appVersion,
    queueWorkerIds: () => [...queueIds],
    runningJobs: () => runningJobs,
  });

  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      concurrency,
      noHandleSignals: true,
      pollInterval: settings.migrations.pollIntervalMs,
      taskList: { [MIGRATE_TARGET_TASK]: migrateTargetTask, [DELIVER_WEBHOOK_TASK]: deliverWebhookTask },
      logger: queueLogger(),
      events,
    });
  } catch (error) {
    await heartbeat.stop();
    await pool.end().catch(() => {});
    throw error;
  }
  // Registered before any job can be held long enough to look stale.
  await heartbeat.beat().catch((error: unknown) => log.warn({ err: error }, "first heartbeat failed"));
  log.info({ concurrency, kind: opts.kind }, "migration worker started");

  let stopping: Promise<void> | null = null;
  return {
    id,
    name: `migration worker ${id}`,
    queueWorkerIds: () => [...queueIds],
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        await runner.stop().catch((error: unknown) => log.warn({ err: error }, "stopping the job runner failed"));
        await heartbeat.stop();
        await pool.end().catch(() => {});
        log.info("migration worker stopped");
      })()),
  };
}
