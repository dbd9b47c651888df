/**
 * The Tenants list (GET /api/tenants) over 100,000 registered tenants: the list service the route
 * calls, timed for the first page, searches, filters, sorts and a deep page. Only the control plane
 * is read by the list, so no fleet database is built: 20 connections are registered untested and
 * the tenants and their stored states go in with one INSERT … SELECT generate_series per connection.
 *
 *   npx tsx bench/tenants-list.ts          (or: npm run bench -- tenants-list)
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), BENCH_TENANTS
 * (default 100,000), BENCH_DATABASES (default 20: two regions, each with its shared database, the
 * rest dedicated tenant databases), BENCH_RUNS (default 5: the median is reported), MIGRATIONS_DIR
 * (default the example catalog). The states: one tenant in 20 behind by one migration, one in 50
 * never read (no state row), the rest at head; every tenant read has a last run (each at its own
 * time), failed for one in 100. The database is
 * dropped at the end, also after a failure; BENCH_KEEP=1 leaves it after a successful run (its name
 * is printed) for EXPLAIN ANALYZE by hand: drop it yourself afterwards.
 */
import { randomBytes } from "node:crypto";
import { execSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { prepareControlPlane, registerDatabase } from "./support/bench-control-plane";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TENANTS = Math.max(1, Number(process.env.BENCH_TENANTS ?? 100_000));
const DATABASES = Math.max(2, Number(process.env.BENCH_DATABASES ?? 20));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const CATALOG_DIR = path.resolve(process.env.MIGRATIONS_DIR ?? "examples/migrations");
const CP = `bench_tenants_${randomBytes(3).toString("hex")}_cp`;
const REGIONS = ["eu", "us"];
const PER_DB = Math.ceil(TENANTS / DATABASES);
let created = false;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => execSync("uptime").toString().trim().replace(/^.*load average: /, "");

async function main() {
  const started = performance.now();
  const progress = (what: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);
  await admin(`create database "${CP}"`);
  created = true;
  await prepareControlPlane(ADMIN_URL, CP, CATALOG_DIR);
  const { getDb, closeControlPlane } = await import("../server/db/client");
  const { loadCatalog } = await import("../server/migrations/engine/catalog");
  const { versionKey } = await import("../server/domain/versions");
  const { listTenantsWithState } = await import("../server/migrations/plans/fleet-state");
  const { ZTenantListQuery } = await import("../server/tenants/schemas");
  const { sql } = await import("drizzle-orm");

  const tier = (await loadCatalog(CATALOG_DIR)).byTier.tenant;
  if (tier.length < 2) throw new Error("the catalog needs at least two tenant migrations");
  const head = tier.at(-1)!.version;
  const previous = tier.at(-2)!.version;

  // Connections point at databases that need not exist: registered untested, never opened.
  const db = getDb();
  for (let d = 0; d < DATABASES; d++) {
    const name = `bench_tenants_db${String(d).padStart(2, "0")}`;
    const region = REGIONS[d % REGIONS.length]!;
    const id = await registerDatabase(ADMIN_URL, name, name, d < REGIONS.length ? "shared" : "tenant", region);
    const count = Math.max(0, Math.min(PER_DB, TENANTS - d * PER_DB));
    if (count === 0) continue;
    // Slug t-<n> with n the tenant's number in the fleet, name "Tenant <n>", schema tenant_<j> in its database.
    await db.execute(sql`
      insert into console.tenants (slug, name, region, connection_id, schema_name, created_by)
      select 't-' || (${d * PER_DB}::int + j), 'Tenant ' || (${d * PER_DB}::int + j), ${region}, ${id}::uuid,
             'tenant_' || lpad(j::text, 5, '0'), 'bench'
      from generate_series(0, ${count - 1}::int) j`);
    await db.execute(sql`
      insert into console.target_states
        (connection_id, schema_name, tier, version, version_key, applied_count, checked_at,
         last_execution_id, last_run_kind, last_run_status, last_run_at, last_error)
      select ${id}::uuid, 'tenant_' || lpad(j::text, 5, '0'), 'tenant',
             case when j % 20 = 7 then ${previous} else ${head} end,
             case when j % 20 = 7 then ${versionKey(previous)} else ${versionKey(head)} end,
             case when j % 20 = 7 then ${tier.length - 1}::int else ${tier.length}::int end,
             now() - make_interval(secs => j),
             gen_random_uuid(), 'migrate'::console.execution_kind,
             case when j % 100 = 3 then 'failed'::console.target_status else 'succeeded'::console.target_status end,
             now() - make_interval(secs => ${d}::int * ${PER_DB}::int + j),
             case when j % 100 = 3 then '{"code":"bench","message":"failed in the bench"}'::jsonb end
      from generate_series(0, ${count - 1}::int) j
      where j % 50 <> 11`);
  }
  await db.execute(sql`vacuum analyze console.tenants`);
  await db.execute(sql`vacuum analyze console.target_states`);
  progress(`${TENANTS} tenants over ${DATABASES} connections registered, with their states (${tier.length} tenant migrations)`);

  const deep = String(Math.max(0, Math.min(TENANTS - 50, 50_000)));
  const cases: [string, Record<string, string>, (total: number) => boolean][] = [
    ["first page", {}, (n) => n === TENANTS],
    ["search by slug (t-4242)", { search: "t-4242" }, (n) => n > 0 && n < 100],
    ["search by name (nant 4242)", { search: "nant 4242" }, (n) => n > 0 && n < 100],
    ["search, no match", { search: "nobody-here" }, (n) => n === 0],
    ["region eu", { region: "eu" }, (n) => n > 0 && n < TENANTS],
    ["region eu + at head", { region: "eu", state: "at_head" }, (n) => n > 0],
    ["state behind", { state: "behind" }, (n) => n > 0],
    ["failed last run", { state: "failed" }, (n) => n > 0],
    ["sorted by version", { sort: "version" }, (n) => n === TENANTS],
    ["sorted by version, desc", { sort: "version", order: "desc" }, (n) => n === TENANTS],
    [`page at offset ${deep}`, { offset: deep }, (n) => n === TENANTS],
    [`sorted by version, page at offset ${deep}`, { sort: "version", offset: deep }, (n) => n === TENANTS],
    ["never read", { state: "unknown" }, (n) => n > 0],
    ["sorted by pending", { sort: "pending" }, (n) => n === TENANTS],
    ["sorted by last run", { sort: "last_run" }, (n) => n === TENANTS],
    [`state at head, page at offset 40000`, { state: "at_head", offset: "40000" }, (n) => n > 40_000],
  ];
  console.log(`\nload average at the start: ${load()}`);
  console.log(`| Tenants list (median of ${RUNS}) | time | total |\n|---|---|---|`);
  for (const [label, query, check] of cases) {
    const parsed = ZTenantListQuery.parse(query);
    const first = await listTenantsWithState(parsed);
    if (!check(first.total)) throw new Error(`${label}: unexpected total ${first.total}`);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await listTenantsWithState(parsed);
      times.push(performance.now() - t0);
    }
    console.log(`| ${label} | ${Math.round(median(times))} ms | ${first.total} |`);
  }
  console.log(`load average at the end: ${load()}`);
  await closeControlPlane();
}

async function cleanup() {
  if (created) await admin(`drop database if exists "${CP}" with (force)`).catch((e) => console.error(e));
}

main()
  .then(() => (process.env.BENCH_KEEP === "1" ? console.log(`kept: ${CP}`) : cleanup()))
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exit(1);
  });
