/**
 * Applying a catalog's tenant tier to N fresh tenant schemas: the console's real execute path
 * against three baselines applying the same SQL to fresh schemas of the same database.
 *
 *   npx tsx bench/fleet.ts
 *
 * Catalogs: by default a generated long history (bench/support/long-history.ts: ≈ 160 migrations,
 * ≈ 800 statements, written to a temporary folder), then the example catalog, each in a process of
 * its own (the console reads its settings once per process). MIGRATIONS_DIR runs that catalog only;
 * BENCH_CATALOG=long or =example runs one of the two.
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), BENCH_TENANTS
 * (default 100, at most 1,000), BENCH_ROUNDS (default 3), BENCH_SEQUENTIAL (the one-at-a-time psql
 * loop in the first round; default on up to 100 tenants), BENCH_CONTENDERS (the baselines to run
 * beside the engine; default psql,dbmate,bare), BENCH_SEED (the long history's seed), and
 * the console's usual MIGRATION_* settings (defaults: MIGRATION_BATCH_SIZE=10,
 * MIGRATION_DB_CONCURRENCY=4).
 *
 *  - engine: POST /api/migrations/execute's service (plan, record, enqueue) with an in-process
 *    graphile-worker, timed from the call until the execution has ended; its process CPU time over
 *    that span is divided by the migrations applied;
 *  - psql loop: one `psql -f` per schema (one connection each), every migration in its own
 *    transaction with its history row, four schemas at a time (and one at a time, first round);
 *  - dbmate: the npm package's binary once per schema, four at a time;
 *  - bare runner: node-postgres in this process, a fresh session per schema, as many at a time as
 *    the engine's per-database slots, per migration BEGIN, the up part as one query, the history
 *    INSERT, COMMIT.
 * Every contender gets N new schemas in the same shared database (which holds the region's shared
 * objects), created beforehand; they are checked (every schema has every history row) and dropped
 * after its run, so each one starts from the same catalog size. Rounds alternate the order of the
 * contenders, so a machine whose load drifts favours none. Medians over the rounds are printed.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseUrl, prepareControlPlane, registerDatabase } from "./support/bench-control-plane";
import { runBare, runDbmate, runPsqlLoop, writeDbmateFolder, writePsqlScripts } from "./support/fleet-contenders";
import { LONG_HISTORY_SEED, writeLongHistory } from "./support/long-history";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const N = Math.min(1_000, Math.max(1, Number(process.env.BENCH_TENANTS ?? 100)));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const SEQUENTIAL = process.env.BENCH_SEQUENTIAL ? process.env.BENCH_SEQUENTIAL !== "0" : N <= 100;
const CONTENDERS = (process.env.BENCH_CONTENDERS ?? "psql,dbmate,bare").split(",").map((c) => c.trim()).filter(Boolean);
const PREFIX = `bench_fleet_${randomBytes(3).toString("hex")}`;
const dbUrl = (name: string) => databaseUrl(ADMIN_URL, name);
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const names = { cp: `${PREFIX}_cp`, admin: `${PREFIX}_admin`, shared: `${PREFIX}_shared` };

async function onServer(sql: string, database = "postgres") {
  const client = new pg.Client({ connectionString: dbUrl(database) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const load = () => os.loadavg()[0]!.toFixed(1);

/** The default: both catalogs, one child process each. */
async function runDefaultCatalogs() {
  const which = (process.env.BENCH_CATALOG ?? "long,example").split(",").map((s) => s.trim());
  const longDir = mkdtempSync(path.join(os.tmpdir(), "bench-long-history-"));
  try {
    for (const name of which) {
      let dir: string;
      if (name === "long") {
        const seed = Number(process.env.BENCH_SEED ?? LONG_HISTORY_SEED);
        const stats = writeLongHistory(longDir, { seed });
        const mix = Object.entries(stats.byKind).map(([k, n]) => `${k} ${Math.round((n / stats.statements) * 100)} %`).join(", ");
        console.log(`\n--- generated long history (seed ${seed}): ${stats.migrations} tenant migrations, ${stats.statements} statements (${mix}) ---`);
        dir = longDir;
      } else if (name === "example") {
        console.log(`\n--- example catalog ---`);
        dir = path.resolve("examples/migrations");
      } else throw new Error(`BENCH_CATALOG: unknown catalog "${name}" (long, example)`);
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname], {
          stdio: "inherit",
          env: { ...process.env, MIGRATIONS_DIR: dir },
        });
        child.on("exit", resolve);
      });
      if (code !== 0) process.exit(code ?? 1);
    }
  } finally {
    rmSync(longDir, { recursive: true, force: true });
  }
}

async function main() {
  const catalogDir = path.resolve(process.env.MIGRATIONS_DIR!);
  for (const db of Object.values(names)) await onServer(`create database ${q(db)}`);
  await prepareControlPlane(ADMIN_URL, names.cp, catalogDir);
  // Imported after the environment is set: settings are read on first use.
  const { getSettings } = await import("../server/config/settings");
  const { getDb, closeControlPlane } = await import("../server/db/client");
  const { insertTenants } = await import("../server/tenants/repository");
  const { loadCatalog } = await import("../server/migrations/engine/catalog");
  const { executeTarget } = await import("../server/migrations/engine/execute-target");
  const { withNewClient } = await import("../server/migrations/engine/target-run");
  const { createExecution } = await import("../server/migrations/executions/create-execution");
  const { findExecution, TERMINAL_EXECUTION } = await import("../server/migrations/executions/repository");
  const { startMigrationWorker } = await import("../server/jobs/start-worker");
  const { stopFleetPools } = await import("../server/fleet/pool-manager");
  const { stopEventHub } = await import("../server/migrations/executions/event-hub");

  const settings = getSettings();
  const slots = settings.migrations.perDatabaseConcurrency;
  const catalog = await loadCatalog(catalogDir);
  const tier = catalog.byTier.tenant;
  const migrations = N * tier.length;
  console.log(
    `catalog ${catalogDir}: ${tier.length} tenant migrations (${sum(tier.map((m) => m.up.statements.length))} statements); ` +
      `${N} tenants per contender per round, ${ROUNDS} round(s); worker batch ${settings.migrations.batchSize}, ` +
      `${slots} targets at a time per database; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
  );

  await registerDatabase(ADMIN_URL, "admin", names.admin, "admin", null);
  const sharedId = await registerDatabase(ADMIN_URL, "shared-eu", names.shared, "shared", "eu");

  // Providers first, outside the timings: tenant migrations require shared and admin ones.
  for (const [database, providerTier] of [[names.admin, "admin"], [names.shared, "shared"]] as const) {
    const r = await executeTarget({
      catalog,
      target: { connectionId: database, connectionName: database, databaseName: database, schemaName: "public", tier: providerTier, region: "eu" },
      withClient: withNewClient({ connectionString: dbUrl(database) }),
    });
    if (r.status !== "succeeded") throw new Error(`preparing ${providerTier}: ${r.error?.message}`);
  }

  const sharedUrl = dbUrl(names.shared);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-fleet-"));
  const dbmateDir = path.join(scratch, "dbmate");
  writeDbmateFolder(dbmateDir, tier);
  const schemasFor = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}_${String(i).padStart(4, "0")}`);

  /** Every schema holds one history row per migration; then the schemas go, so the next contender starts from the same catalog. */
  const checkAndDrop = async (schemas: readonly string[], table: string, who: string) => {
    let rows = 0;
    for (let i = 0; i < schemas.length; i += 200) {
      const counts = schemas.slice(i, i + 200).map((s) => `select count(*)::int as n from ${q(s)}.${q(table)}`);
      const { rows: r } = await onServer(`select sum(n)::int as n from (${counts.join(" union all ")}) c`, names.shared);
      rows += r[0].n;
    }
    if (rows !== migrations) throw new Error(`${who}: expected ${migrations} history rows, found ${rows}`);
    for (let i = 0; i < schemas.length; i += 5) {
      await onServer(`drop schema ${schemas.slice(i, i + 5).map(q).join(", ")} cascade`, names.shared);
    }
    await onServer("vacuum pg_class, pg_attribute, pg_type, pg_depend, pg_constraint, pg_index, pg_attrdef, pg_trigger, pg_proc, pg_enum, pg_namespace", names.shared);
  };

  const createSchemas = async (schemas: readonly string[]) => {
    for (let i = 0; i < schemas.length; i += 500) {
      await onServer(schemas.slice(i, i + 500).map((s) => `create schema ${q(s)}`).join(";\n"), names.shared);
    }
  };

  interface Timing {
    wallMs: number;
    cpuMs: number;
  }
  const timed = async (work: () => Promise<void>): Promise<Timing> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await work();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  const worker = await startMigrationWorker({ kind: "in-process" });

  const engineRound = async (round: number) => {
    const schemas = schemasFor(`tenant_r${round}`);
    await createSchemas(schemas);
    const ids: string[] = [];
    for (let i = 0; i < N; i += 1_000) {
      const rows = await insertTenants(
        getDb(),
        schemas.slice(i, i + 1_000).map((schema) => ({ slug: schema.replaceAll("_", "-"), name: schema, region: "eu", connectionId: sharedId, schemaName: schema, createdBy: "bench" })),
      );
      ids.push(...rows.map((r) => r.id));
    }
    let recordedMs = 0;
    let executionId = "";
    const timing = await timed(async () => {
      const t0 = performance.now();
      const execution = (await createExecution({ scope: { scope: "tenant", tenant_ids: ids }, dryRun: false, executedBy: "bench" }))!;
      recordedMs = performance.now() - t0;
      executionId = execution.id;
      let row = execution;
      // The bench's own observer: a quarter-second poll (≤ 1 % of the wall time measured) keeps its
      // queries out of the engine's CPU figure (every 20 ms it cost ≈ 0.15 ms per migration).
      while (!TERMINAL_EXECUTION.includes(row.status)) {
        await new Promise((r) => setTimeout(r, 250));
        row = (await findExecution(getDb(), execution.id))!;
      }
      if (row.status !== "completed" || row.completedTargets !== N) throw new Error(`engine execution ended ${row.status}: ${row.errorMessage}`);
    });
    const { rows } = await onServer(
      `select duration_ms as d, (select sum((m ->> 'durationMs')::int) from jsonb_array_elements(migrations) m) as m
         from console.execution_targets where execution_id = '${executionId}'`,
      names.cp,
    );
    await checkAndDrop(schemas, "_schema_migrations", "engine");
    return {
      ...timing,
      recordedMs,
      targetMs: median(rows.map((r) => Number(r.d))),
      migrationsMs: sum(rows.map((r) => Number(r.m))) / N,
      busy: sum(rows.map((r) => Number(r.d))) / (timing.wallMs * slots),
    };
  };

  const psqlRound = async (prefix: string, parallel: number) => {
    const schemas = schemasFor(prefix);
    await createSchemas(schemas);
    const scripts = writePsqlScripts(path.join(scratch, prefix), schemas, tier);
    const timing = await timed(() => runPsqlLoop(sharedUrl, scripts, parallel));
    await checkAndDrop(schemas, "_schema_migrations", "psql loop");
    return timing;
  };

  const dbmateRound = async (prefix: string) => {
    const schemas = schemasFor(prefix);
    await createSchemas(schemas);
    const timing = await timed(() => runDbmate(sharedUrl, schemas, dbmateDir, 4));
    await checkAndDrop(schemas, "schema_migrations", "dbmate");
    return timing;
  };

  const bareRound = async (prefix: string) => {
    const schemas = schemasFor(prefix);
    await createSchemas(schemas);
    const timing = await timed(() => runBare(sharedUrl, schemas, tier, slots));
    await checkAndDrop(schemas, "_schema_migrations", "bare runner");
    return timing;
  };

  const engine: Awaited<ReturnType<typeof engineRound>>[] = [];
  const baselines = {
    psql: { label: "4-way psql loop", timings: [] as Timing[], run: (round: number) => psqlRound(`psql_p${round}`, 4) },
    dbmate: { label: "dbmate ×4", timings: [] as Timing[], run: (round: number) => dbmateRound(`dbmate_r${round}`) },
    bare: { label: "bare runner", timings: [] as Timing[], run: (round: number) => bareRound(`bare_r${round}`) },
  };
  const chosen = (Object.keys(baselines) as (keyof typeof baselines)[]).filter((k) => CONTENDERS.includes(k));
  const unknown = CONTENDERS.filter((c) => !(c in baselines));
  if (unknown.length > 0) throw new Error(`BENCH_CONTENDERS: unknown ${unknown.join(", ")} (psql, dbmate, bare)`);
  let seq: Timing | null = null;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const cpuPer = (t: Timing) => `${(t.cpuMs / migrations).toFixed(3)} ms`;
  for (let round = 0; round < ROUNDS; round++) {
    const loadBefore = load();
    const runs = [
      async () => void engine.push(await engineRound(round)),
      ...chosen.map((k) => async () => void baselines[k].timings.push(await baselines[k].run(round))),
    ];
    for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
    if (round === 0 && SEQUENTIAL && chosen.includes("psql")) seq = await psqlRound("psql_s0", 1);
    const e = engine[round]!;
    const vs = (k: keyof typeof baselines) => `${baselines[k].label} ${s(baselines[k].timings[round]!.wallMs)} (${x(e.wallMs, baselines[k].timings[round]!.wallMs)})`;
    console.log(
      `  round ${round + 1}: engine ${s(e.wallMs)}` +
        (chosen.includes("psql") ? `, ${vs("psql")}` : "") +
        chosen.filter((k) => k !== "psql").map((k) => `; ${vs(k)}`).join("") +
        `; engine CPU ${cpuPer(e)} per migration; load ${loadBefore} → ${load()}`,
    );
  }
  await worker.stop();
  rmSync(scratch, { recursive: true, force: true });

  const med = (ts: Timing[]) => median(ts.map((t) => t.wallMs));
  const engineMs = med(engine);
  const rate = (ms: number) => `${Math.round(migrations / (ms / 1000))} migrations/s`;
  const perSchema = (ms: number) => `${Math.round(ms / N)} ms`;
  console.log(`${N} tenant schemas × ${tier.length} migrations = ${migrations} migrations per run (medians over ${ROUNDS} round(s))`);
  console.log(`  engine (execute path, in-process worker): ${s(engineMs)} (${rate(engineMs)}; planned and recorded in ${Math.round(median(engine.map((e) => e.recordedMs)))} ms)`);
  if (seq) console.log(`  psql loop, one schema at a time:          ${s(seq.wallMs)} (${rate(seq.wallMs)}; first round)`);
  const summaries = { psql: "psql loop, four schemas at a time:       ", dbmate: "dbmate, four schemas at a time:          ", bare: `bare node-postgres runner, ${slots} at a time:` };
  for (const k of chosen) console.log(`  ${summaries[k]} ${s(med(baselines[k].timings))} (${rate(med(baselines[k].timings))})`);
  console.log(
    `  per schema (wall ÷ ${N}): engine ${perSchema(engineMs)}` + chosen.map((k) => `, ${baselines[k].label} ${perSchema(med(baselines[k].timings))}`).join(""),
  );
  console.log(
    `  engine per target: median ${Math.round(median(engine.map((e) => e.targetMs)))} ms, of which its migrations ${Math.round(median(engine.map((e) => e.migrationsMs)))} ms; ` +
      `targets occupy ${Math.round(median(engine.map((e) => e.busy)) * 100)} % of ${slots} slots × wall time`,
  );
  console.log(
    `  engine CPU per applied migration (process CPU ÷ migrations): median ${(median(engine.map((e) => e.cpuMs)) / migrations).toFixed(3)} ms ` +
      `(rounds ${engine.map(cpuPer).join(", ")})` +
      (chosen.includes("bare") ? `; bare runner ${(median(baselines.bare.timings.map((b) => b.cpuMs)) / migrations).toFixed(3)} ms` : ""),
  );
  console.log(
    `  ${chosen.map((k) => `engine / ${baselines[k].label}: ${x(engineMs, med(baselines[k].timings))}`).join("; ")}` +
      (seq ? `; engine / psql loop: ${x(engineMs, seq.wallMs)}` : ""),
  );

  await stopEventHub();
  await stopFleetPools();
  await closeControlPlane();
}

async function cleanup() {
  for (const db of Object.values(names)) await onServer(`drop database if exists ${q(db)} with (force)`).catch(() => {});
}

if (!process.env.MIGRATIONS_DIR) {
  await runDefaultCatalogs();
} else {
  await main()
    .then(cleanup)
    .catch(async (error) => {
      console.error(error);
      await cleanup();
      process.exit(1);
    });
}
