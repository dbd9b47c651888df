import "server-only";
import { getSettings } from "../config/settings";
import { getPool } from "../db/client";
import { CONTROL_PLANE_TIMEOUT_MS } from "./control-plane";
import { workerLivenessCounts } from "./repository";
import { withTimeout } from "./timeout";

export interface WorkerLiveness {
  /** Worker processes whose heartbeat is fresher than WORKER_STALE_AFTER_MS. */
  live: number;
  /** Rows of workers that stopped beating (crashed or stopped without cleaning up). */
  stale: number;
  /** Jobs the live workers report running. */
  running_jobs: number;
  last_seen_at: string | null;
}

/** Worker processes by their heartbeat rows in the control plane (console.workers). */
export async function workerLiveness(): Promise<WorkerLiveness> {
  const staleAfterMs = getSettings().workerHeartbeat.staleAfterMs;
  const r = await withTimeout(workerLivenessCounts(getPool(), staleAfterMs), CONTROL_PLANE_TIMEOUT_MS, "the control-plane database");
  return { live: r?.live ?? 0, stale: r?.stale ?? 0, running_jobs: r?.running ?? 0, last_seen_at: r?.last?.toISOString() ?? null };
}
