import "server-only";
import { getPool } from "../db/client";
import type { QueueDepth } from "./schemas";
import { CONTROL_PLANE_TIMEOUT_MS } from "./control-plane";
import { queueDepthCounts } from "./repository";
import { withTimeout } from "./timeout";

const EMPTY: QueueDepth = { available: false, ready: 0, scheduled: 0, running: 0, failed: 0, oldest_ready_age_seconds: null };

/**
 * The job queue's depth, read from graphile-worker's own table. Before any worker has installed the
 * queue's schema, `available` is false and every count is 0.
 */
export async function queueDepth(): Promise<QueueDepth> {
  return withTimeout(readQueueDepth(), CONTROL_PLANE_TIMEOUT_MS, "the job queue");
}

async function readQueueDepth(): Promise<QueueDepth> {
  const r = await queueDepthCounts(getPool());
  if (!r) return EMPTY;
  return {
    available: true,
    ready: r.ready,
    scheduled: r.scheduled,
    running: r.running,
    failed: r.failed,
    oldest_ready_age_seconds: r.oldest === null ? null : Math.round(r.oldest * 10) / 10,
  };
}
