/**
 * Executing scope `tenant` over 10,000 tenant schemas that are all up to date: the console must
 * find nothing to do quickly (goal: under 2 s for plan + execute).
 *
 *   npx tsx bench/noop.ts
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), BENCH_TENANTS
 * (default 10,000), BENCH_DATABASES (default 4: two regions, each with its shared database and a
 * dedicated tenant database), MIGRATIONS_DIR (default the example catalog), BENCH_UNTRACKED=1
 * (history tables without the change trigger a console run gives them: every plan reads every table).
 *
 * The fleet is registered in a real control plane; every tenant schema gets a history table
 * holding the whole tenant tier with the catalog's checksums (what a fully migrated tenant has;
 * the tables themselves are not needed to decide that nothing is pending). Timed through the same
 * service POST /api/migrations/execute uses: first as a console just started (nothing remembered:
 * every history table is read), then with fresh fleet sessions (cold: the tables' change markers
 * say nothing changed, so only the markers are read), then again on the pooled sessions (warm),
 * plus a preview followed by an execute pinned to its fingerprint.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import type pg from "pg";
import { migrateProviders, prepareControlPlane, registerDatabase, runBench, withDatabase } from "./support/bench-control-plane";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TENANTS = Math.max(1, Number(process.env.BENCH_TENANTS ?? 10_000));
const DATABASES = Math.max(2, Number(process.env.BENCH_DATABASES ?? 4));
const CATALOG_DIR = path.resolve(process.env.MIGRATIONS_DIR ?? "examples/migrations");
const PREFIX = `bench_noop_${randomBytes(3).toString("hex")}`;
const REGIONS = ["eu", "us"];
const TRACKED = process.env.BENCH_UNTRACKED !== "1";
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
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
    // The first database of each region is its shared one; the others are dedicated tenant databases.
    tier: d < REGIONS.length ? ("shared" as const) : ("tenant" as const),
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
  const { buildFleetPlan } = await import("../server/migrations/plans/plan-service");
  const { discoverTargets } = await import("../server/migrations/plans/discover-targets");
  const { readFleetHistories } = await import("../server/migrations/plans/read-histories");
  const { planMigrations } = await import("../server/migrations/engine/plan");
  const { createExecution } = await import("../server/migrations/executions/create-execution");
  const { stopFleetPools } = await import("../server/fleet/pool-manager");
  const { TRACKING_OBJECTS_SQL, historyTriggerSql } = await import("../server/migrations/engine/history-tracking-repository");

  const catalog = await loadCatalog(CATALOG_DIR);
  const register = (name: string, database: string, tier: "admin" | "shared" | "tenant", region: string | null) =>
    registerDatabase(ADMIN_URL, name, database, tier, region);
  await register("admin", admin, "admin", null);
  const ids = new Map<string, string>();
  for (const f of fleetDbs) ids.set(f.name, await register(f.name, f.name, f.tier, f.region));

  // Providers up to date (the admin database and each region's shared database).
  await migrateProviders(ADMIN_URL, catalog, admin, fleetDbs.filter((f) => f.tier === "shared"));

  // Tenant schemas with complete histories, and their registry rows.
  const [, buildMs] = await time(() =>
    Promise.all(
      fleetDbs.map((f, d) =>
        withClient(f.name, async (c) => {
          const mine = Array.from({ length: TENANTS }, (_, i) => i).filter((i) => i % DATABASES === d);
          const values = catalog.byTier.tenant
            .map((m) => `(${lit(m.version)}, ${lit(m.name)}, ${lit(m.checksum)}, 'bench', 10, 'bench')`)
            .join(", ");
          if (TRACKED) for (const statement of TRACKING_OBJECTS_SQL) await c.query(statement);
          for (let b = 0; b < mine.length; b += 200) {
            const sql = mine.slice(b, b + 200).flatMap((i) => {
              const s = q(`tenant_${String(i).padStart(5, "0")}`);
              return [
                `create schema ${s}`,
                `create table ${s}._schema_migrations (version text primary key, name text not null, checksum text not null,
                   applied_at timestamptz not null default now(), execution_id text, duration_ms integer, applied_by text,
                   state text not null default 'applied' check (state in ('applied', 'started', 'failed')))`,
                ...(TRACKED ? [historyTriggerSql(`tenant_${String(i).padStart(5, "0")}`)] : []),
                `insert into ${s}._schema_migrations (version, name, checksum, execution_id, duration_ms, applied_by) values ${values}`,
              ];
            });
            await c.query(sql.join(";\n"));
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
        return { slug: `t-${i}`, name: `Tenant ${i}`, region: f.region, connectionId: ids.get(f.name)!, schemaName: `tenant_${String(i).padStart(5, "0")}`, createdBy: "bench" };
      }),
    );
  }
  console.log(
    `fleet: ${TENANTS} tenant schemas, all up to date, in ${DATABASES} databases (${REGIONS.length} regions), history tables ${TRACKED ? "tracked" : "NOT tracked"}; built in ${(buildMs / 1000).toFixed(1)} s`,
  );
  // A production fleet's history tables were written long ago: vacuum settles the new rows and
  // catalog entries (hint bits, visibility map, statistics) so the first read is not also the
  // first visit after a mass CREATE TABLE, and autovacuum does not run during the timing.
  const [, vacuumMs] = await time(() => Promise.all(fleetDbs.map((f) => withClient(f.name, (c) => c.query("vacuum analyze")))));
  console.log(`  vacuumed in ${(vacuumMs / 1000).toFixed(1)} s`);

  const execute = () => createExecution({ scope: { scope: "tenant" }, dryRun: false, executedBy: "bench" });
  const check = (row: Awaited<ReturnType<typeof execute>>) => {
    if (!row || row.status !== "completed" || row.totalTargets !== 0) throw new Error(`expected nothing to do, got ${row?.status} with ${row?.totalTargets} targets`);
  };
  // A console just started: nothing remembered, every history table read (and remembered).
  const [first, firstMs] = await time(execute);
  check(first);
  await stopFleetPools();
  const [cold, coldMs] = await time(execute);
  check(cold);
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [row, ms] = await time(execute);
    check(row);
    warm.push(ms);
  }
  const [plan, planMs] = await time(() => buildFleetPlan({ scope: "tenant" }));
  const [pinned, pinnedMs] = await time(() =>
    createExecution({ scope: { scope: "tenant" }, dryRun: false, planFingerprint: plan.fingerprint, executedBy: "bench" }),
  );
  check(pinned);
  if (plan.plan.totals.upToDate !== TENANTS) throw new Error(`expected ${TENANTS} up-to-date targets, plan says ${plan.plan.totals.upToDate}`);

  // Fresh fleet sessions again, in a process that has run the path before.
  const coldAgain: number[] = [];
  for (let i = 0; i < 2; i++) {
    await stopFleetPools();
    const [row, ms] = await time(execute);
    check(row);
    coldAgain.push(ms);
  }

  // Where the time goes: the history read on fresh sessions, then everything on warm ones.
  await stopFleetPools();
  const coldDisc = await discoverTargets({ scope: "tenant" });
  const [, coldReadMs] = await time(() => readFleetHistories([...coldDisc.targets, ...coldDisc.providers], coldDisc.connections));
  const [disc, discoverMs] = await time(() => discoverTargets({ scope: "tenant" }));
  const [read, readMs] = await time(() => readFleetHistories([...disc.targets, ...disc.providers], disc.connections));
  const [, planOnlyMs] = await time(async () => planMigrations({ catalog, targets: disc.targets, providers: disc.providers, histories: read.histories }));

  const ms = (n: number) => `${Math.round(n)} ms`;
  const best = Math.min(...warm);
  console.log(`execute scope tenant over ${TENANTS} up-to-date tenants (plan + record an execution with nothing to do):`);
  console.log(`  first after a console start (every history read): ${ms(firstMs)}`);
  console.log(`  cold (fresh fleet sessions): ${ms(coldMs)}`);
  console.log(`  cold again (fresh sessions): ${coldAgain.map(ms).join(", ")}`);
  console.log(`  warm (pooled sessions):      ${warm.map(ms).join(", ")}`);
  console.log(`  preview plan ${ms(planMs)} + execute pinned to its fingerprint ${ms(pinnedMs)} = ${ms(planMs + pinnedMs)}`);
  console.log(`  history read on fresh sessions: ${ms(coldReadMs)}`);
  console.log(`  of which (warm): registry discovery ${ms(discoverMs)}, history read ${ms(readMs)}, planning ${ms(planOnlyMs)}`);
  console.log(`  goal under 2 s: cold ${coldMs < 2_000 ? "met" : "missed"}, cold again ${Math.min(...coldAgain) < 2_000 ? "met" : "missed"}, warm ${best < 2_000 ? "met" : "missed"}`);

  await stopFleetPools();
  await closeControlPlane();
}

async function cleanup() {
  await withClient("postgres", async (c) => {
    for (const db of created) await c.query(`drop database if exists ${q(db)} with (force)`).catch(() => {});
  });
}

runBench(main, cleanup);
