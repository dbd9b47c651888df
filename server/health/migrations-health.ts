import { sql } from "drizzle-orm";
import { z } from "zod";
import { getSettings } from "../config/settings";
import { getDb } from "../db/client";
import { getCatalogState } from "../migrations/plans/catalog-store";

/**
 * GET /api/migrations/health: can the console execute migrations right now? The catalog (loaded,
 * or the file and line that keep it from loading), the workers seen through their heartbeats, and
 * the job queue (ready, scheduled, running, failed jobs; age of the oldest ready one).
 */

export const ZMigrationsHealth = z.object({
  status: z.enum(["ok", "degraded", "down"]).describe("down: the catalog cannot be loaded; degraded: jobs wait and no worker is alive"),
  checked_at: z.string(),
  engine: z.object({
    catalog_loaded: z.boolean(),
    dir: z.string(),
    migrations: z.number().int(),
    checksum: z.string().nullable(),
    loaded_at: z.string().nullable(),
    error: z
      .object({ code: z.string(), message: z.string(), file: z.string().nullable(), line: z.number().int().nullable() })
      .nullable(),
  }),
  workers: z.array(
    z.object({
      id: z.string(),
      hostname: z.string(),
      pid: z.number().int(),
      kind: z.string(),
      concurrency: z.number().int(),
      running_jobs: z.number().int(),
      version: z.string(),
      started_at: z.string(),
      last_seen_at: z.string(),
      alive: z.boolean(),
    }),
  ),
  workers_alive: z.number().int(),
  queue: z
    .object({
      ready: z.number().int().describe("jobs due now, waiting for a worker"),
      scheduled: z.number().int().describe("retries and dependency waits due later"),
      running: z.number().int(),
      failed: z.number().int().describe("jobs the queue gave up on (control-plane failures, bad payloads)"),
      oldest_ready_age_seconds: z.number().nullable(),
    })
    .nullable()
    .describe("null until a worker or an execution has created the queue's tables"),
  executions: z.object({ in_progress: z.number().int(), awaiting_approval: z.number().int() }),
});
export type MigrationsHealth = z.infer<typeof ZMigrationsHealth>;

export async function migrationsHealth(): Promise<MigrationsHealth> {
  const db = getDb();
  const staleMs = getSettings().workerHeartbeat.staleAfterMs;
  const [state, workers, executions, queue] = await Promise.all([
    getCatalogState(),
    db.execute<{
      id: string;
      hostname: string;
      pid: number;
      kind: string;
      concurrency: number;
      running_jobs: number;
      version: string;
      started_at: Date;
      last_seen_at: Date;
      alive: boolean;
    }>(sql`
      select id, hostname, pid, kind, concurrency, running_jobs, version, started_at, last_seen_at,
             last_seen_at >= now() - make_interval(secs => ${staleMs / 1000}) as alive
        from console.workers order by started_at`),
    db.execute<{ in_progress: number; awaiting_approval: number }>(sql`
      select count(*) filter (where status = 'in_progress')::int as in_progress,
             count(*) filter (where status = 'pending' and approved_at is null)::int as awaiting_approval
        from console.executions where status in ('in_progress', 'pending')`),
    queueState(),
  ]);
  const alive = workers.rows.filter((w) => w.alive).length;
  const status = !state.catalog ? "down" : alive === 0 && (queue?.ready ?? 0) > 0 ? "degraded" : "ok";
  return {
    status,
    checked_at: new Date().toISOString(),
    engine: {
      catalog_loaded: !!state.catalog,
      dir: state.dir,
      migrations: state.catalog?.migrations.length ?? 0,
      checksum: state.catalog?.checksum ?? null,
      loaded_at: state.loadedAt?.toISOString() ?? null,
      error: state.error,
    },
    workers: workers.rows.map((w) => ({
      ...w,
      started_at: new Date(w.started_at).toISOString(),
      last_seen_at: new Date(w.last_seen_at).toISOString(),
    })),
    workers_alive: alive,
    queue,
    executions: executions.rows[0] ?? { in_progress: 0, awaiting_approval: 0 },
  };
}

async function queueState(): Promise<MigrationsHealth["queue"]> {
  try {
    const { rows } = await getDb().execute<{
      ready: number;
      scheduled: number;
      running: number;
      failed: number;
      oldest: number | null;
    }>(sql`
      select count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now())::int as ready,
             count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now())::int as scheduled,
             count(*) filter (where locked_at is not null)::int as running,
             count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed,
             extract(epoch from now() - min(run_at) filter (where locked_at is null and attempts < max_attempts and run_at <= now()))::float8 as oldest
        from graphile_worker.jobs`);
    const r = rows[0]!;
    return { ready: r.ready, scheduled: r.scheduled, running: r.running, failed: r.failed, oldest_ready_age_seconds: r.oldest };
  } catch (error) {
    // Undefined table or schema: no worker or execution has created the queue yet.
    const code = sqlState(error);
    if (code === "42P01" || code === "3F000") return null;
    throw error;
  }
}

/** drizzle wraps driver errors (DrizzleQueryError); PostgreSQL's code is on the cause. */
function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
