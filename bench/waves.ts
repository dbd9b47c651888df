/**
 * Planning and recording a waved execution over 10,000 tenants (goal: under 2 s): scope `tenant`,
 * waves `[canary (5 tenants by tag), 1 %, 10 %, rest]`, every tenant with its whole tier pending.
 *
 *   npx tsx bench/waves.ts
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), BENCH_TENANTS
 * (default 10,000), BENCH_DATABASES (default 4, each a region's shared database, at most 6), MIGRATIONS_DIR (default the example
 * catalog), BENCH_RUNS (default 3).
 *
 * The fleet is registered in a real control plane; tenant schemas are empty (no history table: every
 * tenant migration is pending), providers up to date. Timed through the same service
 * POST /api/migrations/execute uses: discovery, the bulk history read, planning, the canary tags
 * looked up, 10,000 targets put in their waves and recorded with the execution in one transaction,
 * and the jobs of the first wave queued (no worker runs, so nothing starts). For comparison, the
 * same execution without waves (every target's job queued at once).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { migrateProviders, prepareControlPlane, registerDatabase, runBench, withDatabase } from "./support/bench-control-plane";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TENANTS = Math.max(10, Number(process.env.BENCH_TENANTS ?? 10_000));
const DATABASES = Math.min(6, Math.max(2, Number(process.env.BENCH_DATABASES ?? 4)));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const CATALOG_DIR = path.resolve(process.env.MIGRATIONS_DIR ?? "examples/migrations");
const PREFIX = `bench_waves_${randomBytes(3).toString("hex")}`;
const REGIONS = ["eu", "us", "ap", "sa", "af", "me"];
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const created: string[] = [];

const withClient = <T>(database: string, work: (c: pg.Client) => Promise<T>) => withDatabase(ADMIN_URL, database, work);

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, performance.now() - t0];
}

async function main() {
  const cp = `${PREFIX}_cp`;
  const admin = `${PREFIX}_admin`;
  const fleetDbs = Array.from({ length: DATABASES }, (_, d) => ({
    name: `${PREFIX}_db${d}`,
    region: REGIONS[d % REGIONS.length]!,
    // Each database is its region's shared database: a tenant in a database of its own would be
    // blocked on the shared tier's migrations (and a blocked canary halts the rollout at once).
    tier: "shared" as const,
  }));
  await withClient("postgres", async (c) => {
    for (const db of [cp, admin, ...fleetDbs.map((f) => f.name)]) {
      await c.query(`create database ${q(db)}`);
      created.push(db);
    }
  });
  await prepareControlPlane(ADMIN_URL, cp, CATALOG_DIR);
  const { getDb, closeControlPlane } = await import("../server/db/client");
  const { insertTenants } = await import("../server/tenants/repository");
  const { loadCatalog } = await import("../server/migrations/engine/catalog");
  const { createExecution } = await import("../server/migrations/executions/create-execution");
  const { buildFleetPlan } = await import("../server/migrations/plans/plan-service");
  const { discoverTargets } = await import("../server/migrations/plans/discover-targets");
  const { readFleetHistories } = await import("../server/migrations/plans/read-histories");
  const { stopFleetPools } = await import("../server/fleet/pool-manager");

  const catalog = await loadCatalog(CATALOG_DIR);
  await registerDatabase(ADMIN_URL, "admin", admin, "admin", null);
  const ids = new Map<string, string>();
  for (const f of fleetDbs) ids.set(f.name, await registerDatabase(ADMIN_URL, f.name, f.name, f.tier, f.region));

  // Providers up to date, so the tenants' requirements on them are met.
  await migrateProviders(ADMIN_URL, catalog, admin, fleetDbs.filter((f) => f.tier === "shared"));

  // Empty tenant schemas (no history: the whole tier is pending) and their registry rows, five tagged canary.
  const [, buildMs] = await time(() =>
    Promise.all(
      fleetDbs.map((f, d) =>
        withClient(f.name, async (c) => {
          const mine = Array.from({ length: TENANTS }, (_, i) => i).filter((i) => i % DATABASES === d);
          for (let b = 0; b < mine.length; b += 500) {
            await c.query(mine.slice(b, b + 500).map((i) => `create schema ${q(`tenant_${String(i).padStart(5, "0")}`)}`).join(";\n"));
          }
        }),
      ),
    ),
  );
  for (let b = 0; b < TENANTS; b += 1_000) {
    await insertTenants(
      getDb(),
      Array.from({ length: Math.min(1_000, TENANTS - b) }, (_, k) => {
        const i = b + k;
        const f = fleetDbs[i % DATABASES]!;
        return {
          slug: `t-${i}`,
          name: `Tenant ${i}`,
          region: f.region,
          connectionId: ids.get(f.name)!,
          schemaName: `tenant_${String(i).padStart(5, "0")}`,
          createdBy: "bench",
          metadata: i % 2_000 === 7 ? { tags: ["canary"] } : {},
        };
      }),
    );
  }
  await Promise.all(fleetDbs.map((f) => withClient(f.name, (c) => c.query("vacuum analyze"))));
  console.log(`fleet: ${TENANTS} empty tenant schemas in ${DATABASES} regional shared databases, built in ${(buildMs / 1000).toFixed(1)} s`);

  const rollout = {
    waves: [{ type: "canary" as const, tags: ["canary"] }, { type: "percent" as const, percent: 1 }, { type: "percent" as const, percent: 10 }, { type: "rest" as const }],
    soak_seconds: 300,
  };
  const execute = (waved: boolean) =>
    createExecution({ scope: { scope: "tenant" }, dryRun: false, executedBy: "bench", ...(waved ? { rollout } : {}) });
  const check = (row: Awaited<ReturnType<typeof execute>>, waved: boolean) => {
    if (!row || row.status !== "in_progress" || row.totalTargets !== TENANTS) {
      throw new Error(`expected ${TENANTS} targets in progress, got ${row?.status} with ${row?.totalTargets}: ${row?.errorMessage}`);
    }
    if (waved && row.rollout?.waves.map((w) => w.total).join(",") !== expectedWaves()) {
      throw new Error(`unexpected waves ${row.rollout?.waves.map((w) => `${w.label}:${w.total}`).join(", ")}`);
    }
  };
  const expectedWaves = () => {
    const canary = Math.ceil(TENANTS / 2_000);
    const rest = TENANTS - canary;
    const one = Math.ceil(rest / 100);
    const ten = Math.ceil(rest / 10);
    return [canary, one, ten, rest - one - ten].join(",");
  };

  const waved: number[] = [];
  const flat: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const [row, ms] = await time(() => execute(true));
    check(row, true);
    waved.push(ms);
    const [row2, ms2] = await time(() => execute(false));
    check(row2, false);
    flat.push(ms2);
  }
  // Where the time goes: planning (discovery, the history read, the fleet state's upsert, the
  // planner) and recording a plan made beforehand, waved and not.
  const [fleetPlan, planMs] = await time(() => buildFleetPlan({ scope: "tenant" }));
  const [disc, discoverMs] = await time(() => discoverTargets({ scope: "tenant" }));
  const [, readMs] = await time(() => readFleetHistories([...disc.targets, ...disc.providers], disc.connections));
  const [, recordWavedMs] = await time(() =>
    createExecution({ scope: { scope: "tenant" }, dryRun: false, executedBy: "bench", fleet: fleetPlan, rollout }),
  );
  const [, recordFlatMs] = await time(() => createExecution({ scope: { scope: "tenant" }, dryRun: false, executedBy: "bench", fleet: fleetPlan }));

  const jobs = await withClient(cp, async (c) => {
    const { rows } = await c.query<{ n: number }>("select count(*)::int as n from graphile_worker.jobs");
    return rows[0]!.n;
  }).catch(() => null);

  const ms = (n: number) => `${Math.round(n)} ms`;
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`waved execution over ${TENANTS} tenants, waves ${expectedWaves()} (plan + record + queue the first wave):`);
  console.log(`  first (fresh fleet sessions): ${ms(waved[0]!)}`);
  console.log(`  then (pooled sessions):       ${waved.slice(1).map(ms).join(", ")}`);
  console.log(`the same execution without waves (every job queued): ${ms(flat[0]!)} first, then ${flat.slice(1).map(ms).join(", ")}`);
  if (jobs !== null) console.log(`  jobs in the queue after ${RUNS + 2} of each: ${jobs}`);
  console.log(
    `  breakdown: plan ${ms(planMs)} (discovery ${ms(discoverMs)}, history read ${ms(readMs)}); ` +
      `record a made plan: waved ${ms(recordWavedMs)}, without waves ${ms(recordFlatMs)}`,
  );
  console.log(`  goal under 2 s: ${Math.min(...waved.slice(1)) < 2_000 ? "met" : "missed"} (best ${ms(Math.min(...waved.slice(1)))}); load average ${load}`);

  await stopFleetPools();
  await closeControlPlane();
}

async function cleanup() {
  await withClient("postgres", async (c) => {
    for (const db of created) await c.query(`drop database if exists ${q(db)} with (force)`).catch(() => {});
  });
}

runBench(main, cleanup);
