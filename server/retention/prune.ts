import { makeWorkerUtils } from "graphile-worker";
import type pg from "pg";
import { ensureJobQueue, queueLogger } from "../queue/job-queue";
import * as repo from "./repository";

/** Rows deleted per statement: short transactions, no long lock on the events table. */
const BATCH = 5_000;

export interface PruneResult {
  ran: boolean;
  executionEvents: number;
  auditRows: number;
  webhookDeliveries: number;
  /** Stored history rows of schemas no longer registered (always pruned: they serve no plan). */
  storedHistories: number;
}

export interface PruneOptions {
  /**
   * Keep the events of executions that finished fewer days ago, and the log of webhook deliveries
   * that ended fewer days ago; 0 keeps them forever.
   */
  eventsDays: number;
  /** Keep audit rows younger than this many days; 0 (the default) keeps the audit trail forever. */
  auditDays?: number;
}

type BatchDelete = (client: pg.PoolClient, days: number, batch: number) => Promise<number>;

/** Runs one batch delete after another until a batch comes back short. */
async function deleteInBatches(client: pg.PoolClient, deleteBatch: BatchDelete, days: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await deleteBatch(client, days, BATCH);
    deleted += count;
    if (count < BATCH) return deleted;
  }
}

/**
 * What the control plane stops keeping: the event stream of executions that finished more than
 * `eventsDays` ago (the execution, its targets and their results stay: that is the history), webhook
 * deliveries that ended as long ago (the endpoints stay), audit
 * rows older than `auditDays` when the operator set a window, the stored history rows of schemas no
 * longer registered, and the job queue's permanently failed jobs and unused queues (each target's
 * outcome is recorded on the target itself).
 */
export async function pruneControlPlane(pool: pg.Pool, opts: PruneOptions): Promise<PruneResult> {
  const client = await pool.connect();
  try {
    if (!(await repo.tryRetentionLock(client))) return { ran: false, executionEvents: 0, auditRows: 0, webhookDeliveries: 0, storedHistories: 0 };
    try {
      const executionEvents =
        opts.eventsDays > 0 ? await deleteInBatches(client, repo.deleteFinishedExecutionEvents, opts.eventsDays) : 0;
      const webhookDeliveries =
        opts.eventsDays > 0 ? await deleteInBatches(client, repo.deleteSettledWebhookDeliveries, opts.eventsDays) : 0;
      const auditDays = opts.auditDays ?? 0;
      const auditRows = auditDays > 0 ? await deleteInBatches(client, repo.deleteAuditRowsOlderThan, auditDays) : 0;
      const storedHistories = await deleteInBatches(client, repo.deleteUnregisteredStoredHistories, 0);
      await ensureJobQueue();
      const utils = await makeWorkerUtils({ pgPool: pool, logger: queueLogger() });
      try {
        await utils.cleanup({ tasks: ["DELETE_PERMAFAILED_JOBS", "GC_JOB_QUEUES"] });
      } finally {
        await utils.release();
      }
      return { ran: true, executionEvents, auditRows, webhookDeliveries, storedHistories };
    } finally {
      await repo.releaseRetentionLock(client);
    }
  } finally {
    client.release();
  }
}
