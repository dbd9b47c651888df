import "server-only";
import { getSettings } from "../config/settings";
import { getPool } from "../db/client";
import { CONTROL_PLANE_TIMEOUT_MS } from "./control-plane";
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
  const { rows } = await withTimeout(
    getPool().query<{ live: number; stale: number; running: number; last: Date | null }>(
      `select count(*) filter (where last_seen_at > now() - make_interval(secs => $1))::int as live,
              count(*) filter (where last_seen_at <= now() - make_interval(secs => $1))::int as stale,
              coalesce(sum(running_jobs) filter (where last_seen_at > now() - make_interval(secs => $1)), 0)::int as running,
              max(last_seen_at) as last
         from console.workers`,
      [staleAfterMs / 1000],
    ),
    CONTROL_PLANE_TIMEOUT_MS,
    "the control-plane database",
  );
  const r = rows[0];
  return { live: r?.live ?? 0, stale: r?.stale ?? 0, running_jobs: r?.running ?? 0, last_seen_at: r?.last?.toISOString() ?? null };
}
