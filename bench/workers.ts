/**
 * Scaling out: one execution over fleet-bound targets, run by 1, 2 and 4 standalone worker
 * processes (`npm run worker`'s entry as real child processes; the bench process plays the console
 * with no worker of its own, as `WORKERS=0` does). Does throughput grow with the processes, do
 * they share the work evenly, and does every target run exactly once?
 *
 *   npx tsx bench/workers.ts
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), BENCH_TENANTS
 * (targets per run, default 400), BENCH_DATABASES (default 8), BENCH_SLEEP_MS (how long each
 * target's migration sleeps on its database, default 500), BENCH_PROCESSES (default 1,2,4),
 * BENCH_ROUNDS (default 1; rounds alternate the order of the process counts), BENCH_WARMUP (targets
 * of a warm-up execution run before each measured one, default one per queue: 32), and the workers'
 * MIGRATION_BATCH_SIZE (default 4 here) and MIGRATION_DB_CONCURRENCY (default 4), also
 * MIGRATION_POLL_INTERVAL_MS when set.
 *
 * The fleet: BENCH_DATABASES databases on the benchmark server (named `bench_workers_<random>_…`,
 * dropped at the end), registered as dedicated tenant databases; the catalog has one tenant
 * migration, `SELECT pg_sleep(…)` and a CREATE TABLE, so a target's time is spent on its database,
 * not in the console. Each run gets BENCH_TENANTS new tenant schemas spread over the databases and
 * executes scope `tenant` over exactly those, through the same service POST /api/migrations/execute
 * uses; the run's span is the execution's own (started_at to completed_at). Before it, the freshly
 * started workers run a small warm-up execution of their own (a long-running worker has long paid
 * its start-up: loading the catalog, first sessions, compiling the code it runs).
 *
 * Who ran what: graphile-worker records the worker holding each job (`locked_by`), and each worker
 * process lists its job runners' ids in its heartbeat row (`console.workers`); the bench samples
 * both every 100 ms, and a target's migration sleeps far longer than that, so every target is seen
 * while it runs. Exactly once: every schema's history holds the migration once, written by the
 * run's execution; every target row succeeded on its first attempt; one `target_finished` event each.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseUrl, prepareControlPlane, registerDatabase, runBench } from "./support/bench-control-plane";
import { spawnWorkerProcess, stopWorkerProcess, untilWorkerStarted, type WorkerChild } from "./support/worker-processes";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGETS = Math.max(1, Number(process.env.BENCH_TENANTS ?? 400));
const DATABASES = Math.max(1, Number(process.env.BENCH_DATABASES ?? 8));
const SLEEP_MS = Math.max(0, Number(process.env.BENCH_SLEEP_MS ?? 500));
const PROCESS_COUNTS = (process.env.BENCH_PROCESSES ?? "1,2,4").split(",").map((s) => Math.max(1, Number(s.trim()))).filter(Number.isFinite);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const BATCH = process.env.MIGRATION_BATCH_SIZE ?? "4";
const SLOTS = process.env.MIGRATION_DB_CONCURRENCY ?? "4";
/** Targets of the warm-up execution each set of workers runs first (default one per queue). */
const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? DATABASES * Number(SLOTS)));
const PREFIX = `bench_workers_${randomBytes(3).toString("hex")}`;
const REGIONS = ["eu", "us"];
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const dbUrl = (name: string) => databaseUrl(ADMIN_URL, name);
const created: string[] = [];
const children: WorkerChild[] = [];
const catalogDir = mkdtempSync(path.join(os.tmpdir(), "bench-workers-catalog-"));
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");
const say = (line: string) => console.log(line);

/** User + system CPU a process has used so far (Linux /proc; 0 elsewhere). */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function withClient<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: dbUrl(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The catalog: one tenant migration that waits on its database, then creates a table. */
function writeCatalog(dir: string) {
  mkdirSync(path.join(dir, "tenant"), { recursive: true });
  writeFileSync(
    path.join(dir, "tenant/0001_ledger.sql"),
    [
      "-- migrate:up",
      `SELECT pg_sleep(${(SLEEP_MS / 1000).toFixed(3)});`,
      "CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric(12, 2) NOT NULL, booked_at timestamptz NOT NULL DEFAULT now());",
      "-- migrate:down",
      "DROP TABLE ledger;",
      "",
    ].join("\n"),
  );
}

interface RunResult {
  processes: number;
  round: number;
  spanMs: number;
  wallMs: number;
  recordMs: number;
  throughput: number;
  perProcess: number[];
  unattributed: number;
  medianTargetMs: number;
  medianHeldMs: number;
  heldByQuarter: number[];
  occupancy: number;
  heldOccupancy: number;
  peakSessions: number;
  baseSessions: number;
  lockWaiting: number;
  waitKinds: string;
  cpuPerTargetMs: number;
  loadBefore: string;
  loadAfter: string;
}

async function main() {
  const t0 = performance.now();
  const cp = `${PREFIX}_cp`;
  const fleetDbs = Array.from({ length: DATABASES }, (_, d) => ({ name: `${PREFIX}_db${d}`, region: REGIONS[d % REGIONS.length]! }));
  writeCatalog(catalogDir);

  say(`building: ${DATABASES} fleet databases and a control plane (${PREFIX}_*) on ${new URL(ADMIN_URL).host}; load ${load()}`);
  await withClient("postgres", async (c) => {
    for (const db of [cp, ...fleetDbs.map((f) => f.name)]) {
      await c.query(`create database ${q(db)}`);
      created.push(db);
    }
  });
  // The bench process records executions like a console with WORKERS=0: the queue names of its
  // jobs follow its MIGRATION_DB_CONCURRENCY, so it gets the workers' value.
  Object.assign(process.env, { MIGRATION_BATCH_SIZE: BATCH, MIGRATION_DB_CONCURRENCY: SLOTS, DB_POOL_MIN_SIZE: "0", DB_POOL_MAX_SIZE: "4" });
  await prepareControlPlane(ADMIN_URL, cp, catalogDir);
  // Imported after the environment is set: settings are read on first use.
  const { getSettings } = await import("../server/config/settings");
  const { getDb, closeControlPlane } = await import("../server/db/client");
  const { insertTenants } = await import("../server/tenants/repository");
  const { createExecution } = await import("../server/migrations/executions/create-execution");
  const { findExecution, TERMINAL_EXECUTION } = await import("../server/migrations/executions/repository");
  const { ensureJobQueue } = await import("../server/queue/job-queue");
  const { stopFleetPools } = await import("../server/fleet/pool-manager");
  const { stopEventHub } = await import("../server/migrations/executions/event-hub");

  const settings = getSettings();
  await ensureJobQueue();
  const ids = new Map<string, string>();
  for (const f of fleetDbs) ids.set(f.name, await registerDatabase(ADMIN_URL, f.name, f.name, "tenant", f.region));
  say(`  registered ${DATABASES} tenant databases (${REGIONS.join(", ")}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // What a worker process needs, and nothing else of this process's environment.
  const workerEnv: Record<string, string> = {
    ENVIRONMENT: "testing",
    DATABASE_URL: settings.databaseUrl!,
    APP_ENCRYPTION_KEY: settings.encryption.key!,
    MIGRATIONS_DIR: catalogDir,
    MIGRATION_BATCH_SIZE: BATCH,
    MIGRATION_DB_CONCURRENCY: SLOTS,
    DB_POOL_MIN_SIZE: "0",
    DB_POOL_MAX_SIZE: String(Number(BATCH) + 2),
    FLEET_POOL_MAX_PER_CONNECTION: String(Math.max(5, Number(SLOTS))),
    HEALTH_CHECK_ENABLED: "false",
    SCHEDULES_ENABLED: "false",
    LOG_LEVEL: "warn",
    ...(process.env.MIGRATION_POLL_INTERVAL_MS ? { MIGRATION_POLL_INTERVAL_MS: process.env.MIGRATION_POLL_INTERVAL_MS } : {}),
  };

  /** `count` new tenant schemas over the databases, registered; returns their tenant ids. */
  const buildTenants = async (tag: string, count: number): Promise<string[]> => {
    const perDb = fleetDbs.map((f, d) => ({ f, schemas: Array.from({ length: count }, (_, i) => i).filter((i) => i % DATABASES === d).map((i) => `${tag}_t${String(i).padStart(5, "0")}`) }));
    await Promise.all(
      perDb.map(({ f, schemas }) =>
        withClient(f.name, async (c) => {
          for (let i = 0; i < schemas.length; i += 500) await c.query(schemas.slice(i, i + 500).map((s) => `create schema ${q(s)}`).join(";\n"));
        }),
      ),
    );
    const tenantIds: string[] = [];
    const rows = perDb.flatMap(({ f, schemas }) =>
      schemas.map((s) => ({ slug: s.replaceAll("_", "-"), name: s, region: f.region, connectionId: ids.get(f.name)!, schemaName: s, createdBy: "bench" })),
    );
    for (let i = 0; i < rows.length; i += 1_000) tenantIds.push(...(await insertTenants(getDb(), rows.slice(i, i + 1_000))).map((r) => r.id));
    return tenantIds;
  };

  const runOnce = async (processes: number, round: number): Promise<RunResult> => {
    const tag = `r${round}p${processes}`;
    const tenantIds = await buildTenants(tag, TARGETS);
    const warmupIds = WARMUP > 0 ? await buildTenants(`${tag}w`, WARMUP) : [];
    say(`run ${tag}: ${TARGETS} new tenant schemas registered; starting ${processes} worker process(es); load ${load()}`);

    const sampler = new pg.Client({ connectionString: settings.databaseUrl! });
    // A failed run drops the databases with this session still open: its end must not crash the clean-up.
    sampler.on("error", () => {});
    await sampler.connect();
    const sessions = async () =>
      (
        await sampler.query<{ n: number; waiting: number; by: Record<string, number> | null }>(
          `select count(*)::int as n, count(*) filter (where wait_event_type = 'Lock')::int as waiting,
                  (select jsonb_object_agg(e, c) from (select wait_event as e, count(*) as c from pg_stat_activity
                    where datname = $1 and wait_event_type = 'Lock' group by 1) w) as by
             from pg_stat_activity where datname = $1`,
          [cp],
        )
      ).rows[0]!;
    const baseSessions = (await sessions()).n;

    const workers: WorkerChild[] = [];
    for (let i = 0; i < processes; i++) {
      const w = spawnWorkerProcess(workerEnv);
      children.push(w);
      workers.push(w);
    }
    await Promise.all(workers.map((w) => untilWorkerStarted(w)));
    say(`  ${processes} worker(s) started (pids ${workers.map((w) => w.pid).join(", ")})`);
    // Workers run for days: a fresh process's first targets also load the catalog (its SQL parser
    // included), open its first sessions and compile the code they run, once. A small execution
    // first keeps that start-up out of the measured one (and out of its share of the work).
    if (warmupIds.length > 0) {
      const w0 = performance.now();
      const warm = (await createExecution({ scope: { scope: "tenant", tenant_ids: warmupIds }, dryRun: false, executedBy: "bench" }))!;
      let row = warm;
      while (!TERMINAL_EXECUTION.includes(row.status)) {
        await new Promise((r) => setTimeout(r, 250));
        row = (await findExecution(getDb(), warm.id))!;
      }
      if (row.status !== "completed") throw new Error(`warm-up execution ended ${row.status}: ${row.errorMessage}`);
      say(`  warm-up: ${warmupIds.length} targets in ${((performance.now() - w0) / 1000).toFixed(1)} s`);
    }
    const startCpuMs = workers.reduce((sum, w) => sum + processCpuMs(w.pid), 0) / workers.length;

    // Who holds which target's job, sampled while the execution runs.
    const ranBy = new Map<string, Set<number>>();
    const lockerPid = new Map<string, number>();
    let peakSessions = baseSessions;
    let lockSamples = 0;
    let lockWaiting = 0;
    const waitKinds = new Map<string, number>();
    let sampling = true;
    const sample = async () => {
      // A job queued again while its previous run still holds it (a retry) takes the key from that run's job.
      const { rows } = await sampler.query<{ target: string; locked_by: string }>(
        `select substr(key, 8) as target, locked_by from graphile_worker.jobs
          where locked_by is not null and task_identifier = 'migrate_target' and key like 'target:%'`,
      );
      if (rows.some((r) => !lockerPid.has(r.locked_by))) {
        const { rows: beats } = await sampler.query<{ pid: number; ids: string[] }>(`select pid, queue_worker_ids as ids from console.workers`);
        for (const b of beats) for (const id of b.ids) lockerPid.set(id, b.pid);
      }
      for (const r of rows) {
        const pid = lockerPid.get(r.locked_by);
        if (pid !== undefined) (ranBy.get(r.target) ?? ranBy.set(r.target, new Set()).get(r.target)!).add(pid);
      }
      const now = await sessions();
      peakSessions = Math.max(peakSessions, now.n);
      lockSamples++;
      lockWaiting += now.waiting;
      for (const [k, v] of Object.entries(now.by ?? {})) waitKinds.set(k, (waitKinds.get(k) ?? 0) + Number(v));
    };
    const sampling$ = (async () => {
      while (sampling) {
        await sample().catch((error: unknown) => say(`  (sample failed: ${error instanceof Error ? error.message : String(error)})`));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const loadBefore = load();
    const started = performance.now();
    const execution = await createExecution({ scope: { scope: "tenant", tenant_ids: tenantIds }, dryRun: false, executedBy: "bench" });
    if (!execution) throw new Error("the execution was not recorded");
    const recordMs = performance.now() - started;
    if (execution.totalTargets !== TARGETS) throw new Error(`expected ${TARGETS} targets, the plan has ${execution.totalTargets}`);
    let row = execution;
    let lastReport = performance.now();
    while (!TERMINAL_EXECUTION.includes(row.status)) {
      await new Promise((r) => setTimeout(r, 250));
      row = (await findExecution(getDb(), execution.id))!;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        say(`  … ${row.completedTargets}/${TARGETS} targets done after ${((performance.now() - started) / 1000).toFixed(0)} s; load ${load()}`);
      }
    }
    const wallMs = performance.now() - started;
    sampling = false;
    await sampling$;
    const loadAfter = load();
    if (row.status !== "completed" || row.completedTargets !== TARGETS) {
      throw new Error(`execution ${execution.id} ended ${row.status} (${row.completedTargets}/${TARGETS}): ${row.errorMessage}\n${workers.map((w) => w.output()).join("\n")}`);
    }
    const workerCpuMs = workers.reduce((sum, w) => sum + processCpuMs(w.pid), 0);
    await Promise.all(workers.map(async (w) => {
      const code = await stopWorkerProcess(w);
      if (code !== 0) say(`  worker ${w.pid} exited with ${code}:\n${w.output()}`);
    }));

    // Exactly once: the execution's targets, their events, and every schema's history.
    const { rows: targetRows } = await sampler.query<{ id: string; status: string; attempts: number; duration_ms: number; held_ms: number; database_name: string; schema_name: string }>(
      `select id, status, attempts, duration_ms, (extract(epoch from completed_at - started_at) * 1000)::int as held_ms, database_name, schema_name
         from console.execution_targets where execution_id = $1 order by started_at`,
      [execution.id],
    );
    const notOnce = targetRows.filter((t) => t.status !== "succeeded" || t.attempts !== 1);
    if (targetRows.length !== TARGETS || notOnce.length > 0) {
      const { rows: retries } = await sampler.query<{ error: string; n: number }>(
        `select payload -> 'error' ->> 'code' || ': ' || left(payload -> 'error' ->> 'message', 160) as error, count(*)::int as n
           from console.execution_events where execution_id = $1 and type = 'target_retry_scheduled' group by 1 order by 2 desc limit 5`,
        [execution.id],
      );
      for (const r of retries) say(`  retried ${r.n}×: ${r.error}`);
      throw new Error(`targets: ${targetRows.length} recorded, ${notOnce.length} not succeeded on their first attempt (${notOnce.slice(0, 3).map((t) => `${t.schema_name} ${t.status} ×${t.attempts}`).join(", ")})`);
    }
    const { rows: finished } = await sampler.query<{ target: string; n: number }>(
      `select payload ->> 'target_id' as target, count(*)::int as n from console.execution_events
        where execution_id = $1 and type = 'target_finished' group by 1`,
      [execution.id],
    );
    if (finished.length !== TARGETS || finished.some((f) => f.n !== 1)) {
      throw new Error(`target_finished events: ${finished.length} targets, ${finished.filter((f) => f.n !== 1).length} with more than one`);
    }
    let historyRows = 0;
    for (const f of fleetDbs) {
      const schemas = targetRows.filter((t) => t.database_name === f.name).map((t) => t.schema_name);
      await withClient(f.name, async (c) => {
        for (let i = 0; i < schemas.length; i += 200) {
          const parts = schemas.slice(i, i + 200).map(
            (s) => `select '${s}' as s, count(*)::int as n, count(*) filter (where version = '0001' and state = 'applied' and execution_id = '${execution.id}')::int as mine,
                           (select count(*)::int from pg_tables where schemaname = '${s}' and tablename = 'ledger') as tables
                      from ${q(s)}._schema_migrations`,
          );
          const { rows } = await c.query<{ s: string; n: number; mine: number; tables: number }>(parts.join(" union all "));
          const wrong = rows.filter((r) => r.n !== 1 || r.mine !== 1 || r.tables !== 1);
          if (wrong.length > 0) throw new Error(`history in ${f.name}: ${wrong.map((r) => `${r.s} has ${r.n} rows`).slice(0, 3).join(", ")}`);
          historyRows += rows.length;
        }
      });
    }
    if (historyRows !== TARGETS) throw new Error(`history: ${historyRows} schemas checked, expected ${TARGETS}`);

    const counts = new Map<number, number>(workers.map((w) => [w.pid, 0]));
    let unattributed = 0;
    let twice = 0;
    for (const t of targetRows) {
      const by = ranBy.get(t.id);
      if (!by || by.size === 0) unattributed++;
      else if (by.size > 1) twice++;
      else {
        const pid = [...by][0]!;
        counts.set(pid, (counts.get(pid) ?? 0) + 1);
      }
    }
    if (twice > 0) throw new Error(`${twice} targets were held by more than one worker process`);
    await sampler.end();

    const spanMs = row.completedAt && row.startedAt ? row.completedAt.getTime() - row.startedAt.getTime() : wallMs;
    const durations = targetRows.map((t) => Number(t.duration_ms)).sort((a, b) => a - b);
    const held = targetRows.map((t) => Number(t.held_ms)).sort((a, b) => a - b);
    const quarter = Math.ceil(targetRows.length / 4);
    const heldByQuarter = [0, 1, 2, 3].map((k) => {
      const part = targetRows.slice(k * quarter, (k + 1) * quarter).map((t) => Number(t.held_ms)).sort((a, b) => a - b);
      return part.length ? part[Math.floor(part.length / 2)]! : 0;
    });
    const concurrency = Math.min(processes * Number(BATCH), DATABASES * Number(SLOTS));
    return {
      processes,
      round,
      spanMs,
      wallMs,
      recordMs,
      throughput: TARGETS / (spanMs / 1000),
      perProcess: [...counts.values()],
      unattributed,
      medianTargetMs: durations[Math.floor(durations.length / 2)]!,
      medianHeldMs: held[Math.floor(held.length / 2)]!,
      heldByQuarter,
      occupancy: durations.reduce((a, b) => a + b, 0) / (spanMs * concurrency),
      heldOccupancy: held.reduce((a, b) => a + b, 0) / (spanMs * concurrency),
      peakSessions,
      baseSessions,
      lockWaiting: lockSamples ? lockWaiting / lockSamples : 0,
      waitKinds: [...waitKinds].map(([k, v]) => `${k} ${(v / Math.max(1, lockSamples)).toFixed(1)}`).join(", "),
      cpuPerTargetMs: (workerCpuMs - workers.length * startCpuMs) / TARGETS,
      loadBefore,
      loadAfter,
    };
  };

  say(
    `fleet: ${DATABASES} databases, ${TARGETS} targets per run (${Math.ceil(TARGETS / DATABASES)} per database), each migration sleeps ${SLEEP_MS} ms on its database; ` +
      `per worker process MIGRATION_BATCH_SIZE=${BATCH}, MIGRATION_DB_CONCURRENCY=${SLOTS} (${DATABASES * Number(SLOTS)} slots in all); load ${load()}`,
  );
  const results: RunResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? PROCESS_COUNTS : [...PROCESS_COUNTS].reverse();
    for (const processes of order) {
      const r = await runOnce(processes, round);
      results.push(r);
      const mean = r.perProcess.reduce((a, b) => a + b, 0) / r.perProcess.length;
      const spread = mean > 0 ? ((Math.max(...r.perProcess) - Math.min(...r.perProcess)) / mean) * 100 : 0;
      say(
        `  ${processes} process(es): ${TARGETS} targets in ${(r.spanMs / 1000).toFixed(1)} s = ${r.throughput.toFixed(2)} targets/s ` +
          `(recorded in ${Math.round(r.recordMs)} ms)`,
      );
      say(
        `    a target: median ${r.medianTargetMs} ms on its database, ${r.medianHeldMs} ms from its start to its result (by quarter of the run: ${r.heldByQuarter.join(", ")} ms); of ${Math.min(processes * Number(BATCH), DATABASES * Number(SLOTS))} runners × span, ` +
          `${Math.round(r.occupancy * 100)} % on databases, ${Math.round(r.heldOccupancy * 100)} % start to result`,
      );
      say(
        `    targets per process: ${r.perProcess.join(", ")}${r.unattributed ? ` (+${r.unattributed} not seen by the sampler)` : ""}; spread (max − min) / mean ${spread.toFixed(1)} %; ` +
          `every target exactly once (history rows, target rows, finished events)`,
      );
      say(
        `    control plane: sessions ${r.baseSessions} → peak ${r.peakSessions}, on average ${r.lockWaiting.toFixed(1)} waiting for a lock${r.waitKinds ? ` (${r.waitKinds})` : ""}; ` +
          `worker CPU ${r.cpuPerTargetMs.toFixed(1)} ms per target; load ${r.loadBefore} → ${r.loadAfter}`,
      );
    }
  }

  const byCount = new Map<number, number[]>();
  for (const r of results) byCount.set(r.processes, [...(byCount.get(r.processes) ?? []), r.throughput]);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = byCount.get(1) ? median(byCount.get(1)!) : median(byCount.get(Math.min(...byCount.keys()))!);
  const counts = [...byCount.keys()].sort((a, b) => a - b);
  say(`throughput (targets/s${ROUNDS > 1 ? `, median of ${ROUNDS} rounds` : ""}): ${counts.map((p) => `${p} → ${median(byCount.get(p)!).toFixed(2)}`).join(", ")}`);
  say(`workers: ${counts.map((p) => `${p} → ${(median(byCount.get(p)!) / base).toFixed(2)}×`).join(", ")}`);

  await stopEventHub();
  await stopFleetPools();
  await closeControlPlane();
}

let cleaning: Promise<void> | null = null;
/** Stops the workers and drops the benchmark's databases, once, however the run ends. */
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const w of children) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await Promise.all(children.map((w) => w.exited));
    await withClient("postgres", async (c) => {
      for (const db of created) await c.query(`drop database if exists ${q(db)} with (force)`).catch(() => {});
    });
    rmSync(catalogDir, { recursive: true, force: true });
  })());
}

process.on("SIGINT", () => {
  void cleanup().finally(() => process.exit(130));
});

runBench(main, cleanup);
