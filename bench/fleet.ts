/**
 * Applying a catalog's tenant tier to N fresh tenant schemas: the console's real execute path
 * against two psql baselines on fresh schemas with the same SQL.
 *
 *   npx tsx bench/fleet.ts
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), BENCH_TENANTS
 * (default 100, at most 1,000), BENCH_ROUNDS (default 3), MIGRATIONS_DIR (default the example
 * catalog), and the console's usual MIGRATION_* settings (defaults: MIGRATION_BATCH_SIZE=10,
 * MIGRATION_DB_CONCURRENCY=4).
 *
 *  - engine: POST /api/migrations/execute's service (plan, record, enqueue) with an in-process
 *    graphile-worker, timed from the call until the execution has ended;
 *  - psql loop: one `psql -f` per schema (one connection each), every migration in its own
 *    transaction with its history row (`transaction: false` files statement by statement, then
 *    the row), schemas one after another (first round only: it is the slowest);
 *  - the same loop four schemas at a time.
 * Every round uses new schemas in the same shared database (which holds the region's shared
 * objects), created beforehand, and alternates which contender goes first, so a machine whose load
 * drifts favours neither. Medians over the rounds are printed. Everything created is dropped.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { databaseUrl, prepareControlPlane, registerDatabase } from "./support/bench-control-plane";

const run = promisify(execFile);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const N = Math.min(1_000, Math.max(1, Number(process.env.BENCH_TENANTS ?? 100)));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CATALOG_DIR = path.resolve(process.env.MIGRATIONS_DIR ?? "examples/migrations");
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

async function main() {
  for (const db of Object.values(names)) await onServer(`create database ${q(db)}`);
  await prepareControlPlane(ADMIN_URL, names.cp, CATALOG_DIR);
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
  const catalog = await loadCatalog(CATALOG_DIR);
  const tierCount = catalog.byTier.tenant.length;
  console.log(
    `catalog ${CATALOG_DIR}: ${tierCount} tenant migrations; ${N} tenants per contender per round, ${ROUNDS} round(s); ` +
      `worker batch ${settings.migrations.batchSize}, ${slots} targets at a time per database`,
  );

  const register = (name: string, database: string, tier: "admin" | "shared", region: string | null) =>
    registerDatabase(ADMIN_URL, name, database, tier, region);
  await register("admin", names.admin, "admin", null);
  const sharedId = await register("shared-eu", names.shared, "shared", "eu");

  // Providers first, outside the timings: tenant migrations require shared and admin ones.
  for (const [database, tier] of [[names.admin, "admin"], [names.shared, "shared"]] as const) {
    const r = await executeTarget({
      catalog,
      target: { connectionId: database, connectionName: database, databaseName: database, schemaName: "public", tier, region: "eu" },
      withClient: withNewClient({ connectionString: dbUrl(database) }),
    });
    if (r.status !== "succeeded") throw new Error(`preparing ${tier}: ${r.error?.message}`);
  }

  const schemasFor = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}_${String(i).padStart(4, "0")}`);
  const worker = await startMigrationWorker({ kind: "in-process" });

  const engineRound = async (round: number) => {
    const schemas = schemasFor(`tenant_r${round}`);
    await onServer(schemas.map((s) => `create schema ${q(s)}`).join(";\n"), names.shared);
    const ids: string[] = [];
    for (let i = 0; i < N; i += 1_000) {
      const rows = await insertTenants(
        getDb(),
        schemas.slice(i, i + 1_000).map((schema) => ({ slug: schema.replaceAll("_", "-"), name: schema, region: "eu", connectionId: sharedId, schemaName: schema, createdBy: "bench" })),
      );
      ids.push(...rows.map((r) => r.id));
    }
    const t0 = performance.now();
    const execution = (await createExecution({ scope: { scope: "tenant", tenant_ids: ids }, dryRun: false, executedBy: "bench" }))!;
    const recordedMs = performance.now() - t0;
    let row = execution;
    while (!TERMINAL_EXECUTION.includes(row.status)) {
      await new Promise((r) => setTimeout(r, 20));
      row = (await findExecution(getDb(), execution.id))!;
    }
    const wallMs = performance.now() - t0;
    if (row.status !== "completed" || row.completedTargets !== N) throw new Error(`engine execution ended ${row.status}: ${row.errorMessage}`);
    const { rows } = await onServer(
      `select duration_ms as d, (select sum((m ->> 'durationMs')::int) from jsonb_array_elements(migrations) m) as m
         from console.execution_targets where execution_id = '${execution.id}'`,
      names.cp,
    );
    return {
      wallMs,
      recordedMs,
      targetMs: median(rows.map((r) => Number(r.d))),
      migrationsMs: sum(rows.map((r) => Number(r.m))) / N,
      busy: sum(rows.map((r) => Number(r.d))) / (wallMs * slots),
    };
  };

  const scriptDir = mkdtempSync(path.join(os.tmpdir(), "bench-fleet-"));
  const scriptFor = (schema: string) => {
    const file = path.join(scriptDir, `${schema}.sql`);
    const lines = [
      "\\set ON_ERROR_STOP on",
      `SET search_path TO ${q(schema)}, public;`,
      `CREATE TABLE ${q(schema)}._schema_migrations (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), execution_id text, duration_ms integer, applied_by text, state text NOT NULL DEFAULT 'applied');`,
    ];
    for (const m of catalog.byTier.tenant) {
      const body = m.up.statements.map((s) => `${s.sql};`).join("\n");
      const history = `INSERT INTO ${q(schema)}._schema_migrations (version, name, checksum) VALUES ('${m.version}', '${m.name}', '${m.checksum}');`;
      lines.push(m.transactional ? `BEGIN;\n${body}\n${history}\nCOMMIT;` : `${body}\n${history}`);
    }
    writeFileSync(file, lines.join("\n"));
    return file;
  };
  const psqlRound = async (prefix: string, parallel: number) => {
    const schemas = schemasFor(prefix);
    await onServer(schemas.map((s) => `create schema ${q(s)}`).join(";\n"), names.shared);
    const files = schemas.map(scriptFor);
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < files.length) await run("psql", ["-X", "-q", "-d", dbUrl(names.shared), "-f", files[next++]!], { maxBuffer: 1 << 20 });
      }),
    );
    return performance.now() - start;
  };

  const engine: Awaited<ReturnType<typeof engineRound>>[] = [];
  const par: number[] = [];
  let seqMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      engine.push(await engineRound(round));
      par.push(await psqlRound(`psql_p${round}`, 4));
    } else {
      par.push(await psqlRound(`psql_p${round}`, 4));
      engine.push(await engineRound(round));
    }
    if (round === 0) seqMs = await psqlRound("psql_s0", 1);
    console.log(
      `  round ${round + 1}: engine ${(engine[round]!.wallMs / 1000).toFixed(2)} s, 4-way psql loop ${(par[round]! / 1000).toFixed(2)} s ` +
        `(${(engine[round]!.wallMs / par[round]!).toFixed(2)}×)`,
    );
  }
  await worker.stop();
  rmSync(scriptDir, { recursive: true, force: true });

  // Every schema of every contender got every migration.
  const { rows } = await onServer(
    `select count(*)::int as n from pg_namespace n join pg_class c on c.relnamespace = n.oid
      where c.relname = '_schema_migrations' and (n.nspname like 'psql_%' or n.nspname like 'tenant_r%')`,
    names.shared,
  );
  if (rows[0].n !== (2 * ROUNDS + 1) * N) throw new Error(`expected ${(2 * ROUNDS + 1) * N} history tables, found ${rows[0].n}`);

  const migrations = N * tierCount;
  const engineMs = median(engine.map((e) => e.wallMs));
  const parMs = median(par);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rate = (ms: number) => `${Math.round(migrations / (ms / 1000))} migrations/s`;
  console.log(`${N} tenant schemas × ${tierCount} migrations = ${migrations} migrations per run (medians over ${ROUNDS} round(s))`);
  console.log(`  engine (execute path, in-process worker): ${fmt(engineMs)} (${rate(engineMs)}; planned and recorded in ${Math.round(median(engine.map((e) => e.recordedMs)))} ms)`);
  console.log(`  psql loop, one schema at a time:          ${fmt(seqMs)} (${rate(seqMs)}; first round)`);
  console.log(`  psql loop, four schemas at a time:        ${fmt(parMs)} (${rate(parMs)})`);
  console.log(
    `  engine per target: median ${Math.round(median(engine.map((e) => e.targetMs)))} ms, of which its migrations ${Math.round(median(engine.map((e) => e.migrationsMs)))} ms; ` +
      `targets occupy ${Math.round(median(engine.map((e) => e.busy)) * 100)} % of ${slots} slots × wall time`,
  );
  console.log(`  engine / psql loop: ${(engineMs / seqMs).toFixed(2)}×; engine / 4-way psql loop: ${(engineMs / parMs).toFixed(2)}× (goal ≤ 0.9×)`);

  await stopEventHub();
  await stopFleetPools();
  await closeControlPlane();
}

async function cleanup() {
  for (const db of Object.values(names)) await onServer(`drop database if exists ${q(db)} with (force)`).catch(() => {});
}

main()
  .then(cleanup)
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exit(1);
  });
