import { Logger, runMigrations } from "graphile-worker";
import type { Db } from "../db/client";
import { getSettings } from "../config/settings";
import type { Tier } from "../domain/fleet";
import { getLogger } from "../logging/logger";
import { addJobs, type JobSpec } from "./repository";

/**
 * The job queue (graphile-worker, tables in schema `graphile_worker` of the control plane).
 *
 * Jobs are added with graphile-worker's own `add_jobs` SQL function inside the caller's
 * transaction, so an execution's rows and its jobs are committed together: a crash between the two
 * can neither leave an execution without jobs nor jobs without an execution.
 *
 * One job per target. Its queue is `db:<connection id>:<slot>` with MIGRATION_DB_CONCURRENCY slots
 * per database: jobs of one named queue run one at a time across every worker process, so no
 * database server ever has more than MIGRATION_DB_CONCURRENCY targets migrating at once, however
 * many workers there are. Providers (admin, shared, analytics) get a lower priority number than
 * tenants, so they are picked first and tenants rarely have to wait for them.
 */

export const MIGRATE_TARGET_TASK = "migrate_target";

const TIER_PRIORITY: Record<Tier, number> = { admin: 0, shared: 1, analytics: 2, tenant: 3 };

/** Enough for crashes and control-plane outages; target failures are counted in execution_targets. */
const MAX_JOB_ATTEMPTS = 25;

export interface TargetJob {
  executionId: string;
  targetId: string;
  connectionId: string;
  position: number;
  tier: Tier;
  runAt?: Date;
}

export interface TargetJobPayload {
  execution_id: string;
  target_id: string;
}

export function queueNameFor(connectionId: string, position: number, slots = getSettings().migrations.perDatabaseConcurrency): string {
  return `db:${connectionId}:${position % Math.max(1, slots)}`;
}

/** Adds the jobs in the caller's transaction (`db` is the transaction handle). */
export async function enqueueTargetJobs(db: Pick<Db, "execute">, jobs: readonly TargetJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const slots = getSettings().migrations.perDatabaseConcurrency;
  for (let i = 0; i < jobs.length; i += 5_000) {
    const specs = jobs.slice(i, i + 5_000).map((j): JobSpec => ({
      identifier: MIGRATE_TARGET_TASK,
      payload: { execution_id: j.executionId, target_id: j.targetId } satisfies TargetJobPayload,
      queue_name: queueNameFor(j.connectionId, j.position, slots),
      run_at: (j.runAt ?? null)?.toISOString() ?? null,
      max_attempts: MAX_JOB_ATTEMPTS,
      // One live job per target: enqueueing a target again replaces its waiting job.
      job_key: `target:${j.targetId}`,
      priority: TIER_PRIORITY[j.tier],
      flags: null,
    }));
    await addJobs(db, specs);
  }
}

export const DELIVER_WEBHOOK_TASK = "deliver_webhook";

export interface WebhookDeliveryJob {
  deliveryId: string;
  endpointId: string;
  maxAttempts: number;
}

export interface WebhookDeliveryPayload {
  delivery_id: string;
}

/**
 * One job per webhook delivery, added in the caller's transaction (the change the event reports
 * commits with its deliveries, or neither does). Each endpoint has its own queue, so a slow or
 * failing receiver holds at most one worker slot and its deliveries go out one at a time (a
 * delivery waiting for its retry does not hold back the ones after it); priority 0, so a large execution's targets do not hold back the news of its start. A
 * failed attempt is retried by the queue with its exponential backoff (e^attempt seconds: 3 s, 7 s,
 * 20 s, 55 s, 2.5 min, 7 min, 18 min, 49 min, 2.2 h…) up to WEBHOOK_MAX_ATTEMPTS.
 */
export async function enqueueWebhookDeliveries(db: Pick<Db, "execute">, jobs: readonly WebhookDeliveryJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await addJobs(
    db,
    jobs.map((j): JobSpec => ({
      identifier: DELIVER_WEBHOOK_TASK,
      payload: { delivery_id: j.deliveryId } satisfies WebhookDeliveryPayload,
      queue_name: `webhook:${j.endpointId}`,
      run_at: null,
      max_attempts: j.maxAttempts,
      job_key: `webhook:${j.deliveryId}`,
      priority: 0,
      flags: null,
    })),
  );
}

const migratedKey = Symbol.for("console.jobQueueMigrated");
type GlobalWithQueue = typeof globalThis & { [migratedKey]?: Map<string, Promise<void>> };

/**
 * Creates or upgrades graphile-worker's schema once per process and control-plane database (it
 * takes its own lock, so several processes starting together are fine). Needed before the first
 * job is added.
 */
export function ensureJobQueue(): Promise<void> {
  const g = globalThis as GlobalWithQueue;
  const connectionString = getSettings().databaseUrl;
  if (!connectionString) return Promise.reject(new Error("DATABASE_URL is not set: the job queue lives in the control-plane database"));
  const done = (g[migratedKey] ??= new Map());
  let migrated = done.get(connectionString);
  if (!migrated) {
    migrated = runMigrations({ connectionString, maxPoolSize: 1, logger: queueLogger() }).catch((error: unknown) => {
      done.delete(connectionString);
      throw error;
    });
    done.set(connectionString, migrated);
  }
  return migrated;
}

/** graphile-worker's log lines go to the console's logger: debug for chatter, warn for errors. */
export function queueLogger(): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const log = getLogger();
    const fields = { queue: scope.label, workerId: scope.workerId, jobId: scope.jobId, ...(meta ?? {}) };
    if (level === "error" || level === "warning") log.warn(fields, `job queue: ${message}`);
    else log.debug(fields, `job queue: ${message}`);
  });
}
