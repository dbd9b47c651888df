import { z } from "zod";
import { getSettings } from "../config/settings";
import { getDb } from "../db/client";
import { getCatalogState } from "../migrations/plans/catalog-store";
import { activeExecutionCounts, listWorkerHeartbeats, queueStateCounts } from "./repository";

/**
 * GET /api/migrations/health: can the console execute migrations right now? The catalog (loaded,
 * or the file and line that keep it from loading), the workers seen through their heartbeats, and
 * the job queue (ready, scheduled, running, failed jobs; age of the oldest ready one).
 */

export const ZMigrationsHealth = z.object({
  status: z
    .enum(["ok", "degraded", "down"])
    .describe("down: MIGRATIONS_DIR cannot be read; degraded: catalog files with problems (their tiers are not planned), or jobs wait and no worker is alive"),
  checked_at: z.string(),
  engine: z.object({
    catalog_loaded: z.boolean(),
    dir: z.string(),
    migrations: z.number().int(),
    checksum: z.string().nullable(),
    loaded_at: z.string().nullable(),
    error: z
      .object({ code: z.string(), message: z.string(), file: z.string().nullable(), line: z.number().int().nullable() })
      .nullable()
      .describe("why there is no catalog at all"),
    problems: z
      .array(
        z.object({
          code: z.string(),
          file: z.string(),
          line: z.number().int(),
          reason: z.string(),
          message: z.string().describe("<file>:<line>: <reason>"),
          tiers: z.array(z.string()),
        }),
      )
      .describe("files that do not load, each with its line and reason"),
    broken_tiers: z.array(z.string()).describe("tiers not planned until their problems are fixed"),
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
    listWorkerHeartbeats(db, staleMs),
    activeExecutionCounts(db),
    queueState(),
  ]);
  const alive = workers.filter((w) => w.alive).length;
  const problems = state.catalog?.problems ?? [];
  const status = !state.catalog ? "down" : problems.length > 0 || (alive === 0 && (queue?.ready ?? 0) > 0) ? "degraded" : "ok";
  return {
    status,
    checked_at: new Date().toISOString(),
    engine: {
      catalog_loaded: !!state.catalog,
      dir: state.label,
      migrations: state.catalog?.migrations.length ?? 0,
      checksum: state.catalog?.checksum ?? null,
      loaded_at: state.loadedAt?.toISOString() ?? null,
      error: state.error,
      problems: problems.map((p) => ({ code: p.code, file: p.file, line: p.line, reason: p.reason, message: p.message, tiers: p.tiers })),
      broken_tiers: [...(state.catalog?.brokenTiers ?? [])],
    },
    workers: workers.map((w) => ({
      ...w,
      started_at: new Date(w.started_at).toISOString(),
      last_seen_at: new Date(w.last_seen_at).toISOString(),
    })),
    workers_alive: alive,
    queue,
    executions: executions ?? { in_progress: 0, awaiting_approval: 0 },
  };
}

async function queueState(): Promise<MigrationsHealth["queue"]> {
  const r = await queueStateCounts(getDb());
  if (!r) return null;
  return { ready: r.ready, scheduled: r.scheduled, running: r.running, failed: r.failed, oldest_ready_age_seconds: r.oldest };
}
