/**
 * Planning a 10,000-tenant fleet.
 *
 *   npx tsx bench/plan.ts                      pure planning only
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/plan.ts
 *                                              also builds the fleet's history tables in real
 *                                              databases and times the bulk history read
 *
 * Options (environment): BENCH_TENANTS (default 10000), BENCH_DATABASES (default 4), BENCH_RUNS
 * (default 5). The real part creates BENCH_DATABASES databases named bench_plan_<n> and drops them.
 */
import path from "node:path";
import pg from "pg";
import { loadCatalog } from "../server/migrations/engine/catalog";
import { quoteIdent } from "../server/migrations/engine/quote-ident";
import { BULK_CHUNK, readDatabaseHistories, readTargetHistory } from "../server/migrations/engine/history-repository";
import { planMigrations } from "../server/migrations/engine/plan";
import { targetKey, type Catalog, type HistoryRow, type Migration, type Target } from "../server/migrations/engine/types";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 10_000);
const DATABASES = Number(process.env.BENCH_DATABASES ?? 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const REGIONS = ["eu", "us"];

const ms = (n: number) => `${n.toFixed(1)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, performance.now() - t0];
}

/** Tenants spread over the databases; each database is one region's shared database. */
function fleet(): { shared: Target[]; tenants: Target[]; admin: Target } {
  const shared = Array.from({ length: DATABASES }, (_, d) => ({
    connectionId: `conn-${d}`,
    connectionName: `shared-${d}`,
    databaseName: `bench_plan_${d}`,
    schemaName: "public",
    tier: "shared" as const,
    region: REGIONS[d % REGIONS.length]!,
  }));
  const tenants = Array.from({ length: TENANTS }, (_, i) => ({
    ...shared[i % DATABASES]!,
    schemaName: `tenant_${String(i).padStart(5, "0")}`,
    tier: "tenant" as const,
    tenantId: `tenant-${i}`,
  }));
  const admin: Target = { ...shared[0]!, connectionId: "conn-admin", connectionName: "admin", databaseName: "admin", tier: "admin", region: null };
  return { shared, tenants, admin };
}

/**
 * A lived-in fleet: most tenants are two migrations behind, some up to date, some new, and a few
 * with drift or a version the catalog no longer has.
 */
function historyFor(catalog: Catalog, i: number): HistoryRow[] {
  const tier = catalog.byTier.tenant;
  const bucket = i % 100;
  const count = bucket < 70 ? tier.length - 2 : bucket < 90 ? tier.length : bucket < 95 ? 0 : tier.length - 1;
  const rows = appliedRows(tier.slice(0, count));
  if (bucket === 97 && rows[0]) rows[0] = { ...rows[0], checksum: "0".repeat(64) };
  if (bucket === 98) rows.push({ ...rows[0]!, version: "0999", name: "hotfix" });
  return rows;
}

function appliedRows(migrations: readonly Migration[]): HistoryRow[] {
  return migrations.map((m) => ({
    version: m.version,
    name: m.name,
    checksum: m.checksum,
    appliedAtMs: Date.UTC(2024, 0, 1),
    executionId: "bench",
    durationMs: 12,
    appliedBy: "bench",
    state: "applied",
  }));
}

/** The shared and admin targets are up to date, so tenants' cross-tier requirements are met. */
function providerHistories(catalog: Catalog, shared: Target[], admin: Target): [string, HistoryRow[]][] {
  return [
    ...shared.map((s): [string, HistoryRow[]] => [targetKey(s), appliedRows(catalog.byTier.shared)]),
    [targetKey(admin), appliedRows(catalog.byTier.admin)],
  ];
}

async function pureBench(catalog: Catalog) {
  const { shared, tenants, admin } = fleet();
  const histories = new Map<string, HistoryRow[]>(tenants.map((t, i) => [targetKey(t), historyFor(catalog, i)]));
  for (const [key, rows] of providerHistories(catalog, shared, admin)) histories.set(key, rows);
  const input = { catalog, targets: tenants, providers: [...shared, admin], histories };

  planMigrations(input); // warm-up: JIT and lazy initialisation
  const times: number[] = [];
  let plan = planMigrations(input);
  for (let r = 0; r < RUNS; r++) {
    const [p, t] = await time(() => planMigrations(input));
    plan = p;
    times.push(t);
  }
  const [json, stringifyMs] = await time(() => JSON.stringify(plan));
  console.log(`plan of ${TENANTS} tenant targets over ${DATABASES} databases (${catalog.byTier.tenant.length} tenant migrations)`);
  console.log(`  planMigrations: median ${ms(median(times))}, min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))} over ${RUNS} runs`);
  console.log(`  JSON.stringify(plan): ${ms(stringifyMs)}, ${(json.length / 1e6).toFixed(1)} MB`);
  console.log(`  totals: ${JSON.stringify(plan.totals)}`);
  return { median: median(times) };
}

/** Creates the databases and, per tenant, a schema with a history table holding its rows. */
async function buildRealFleet(adminUrl: string, catalog: Catalog) {
  const { tenants } = fleet();
  const dbUrl = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (let d = 0; d < DATABASES; d++) {
    await admin.query(`drop database if exists ${quoteIdent(`bench_plan_${d}`)} with (force)`);
    await admin.query(`create database ${quoteIdent(`bench_plan_${d}`)}`);
  }
  await admin.end();
  await Promise.all(
    Array.from({ length: DATABASES }, async (_, d) => {
      const client = new pg.Client({ connectionString: dbUrl(`bench_plan_${d}`) });
      await client.connect();
      const mine = tenants.map((t, i) => ({ t, i })).filter(({ t }) => t.databaseName === `bench_plan_${d}`);
      for (let b = 0; b < mine.length; b += 200) {
        const sql = mine.slice(b, b + 200).flatMap(({ t, i }) => {
          const s = quoteIdent(t.schemaName);
          const rows = historyFor(catalog, i);
          const values = rows.map((r) => `('${r.version}', '${r.name}', '${r.checksum}', 'bench', 12, 'bench')`).join(", ");
          return [
            `create schema ${s}`,
            `create table ${s}._schema_migrations (version text primary key, name text not null, checksum text not null,
               applied_at timestamptz not null default now(), execution_id text, duration_ms integer, applied_by text,
               state text not null default 'applied' check (state in ('applied', 'started', 'failed')))`,
            ...(rows.length ? [`insert into ${s}._schema_migrations (version, name, checksum, execution_id, duration_ms, applied_by) values ${values}`] : []),
          ];
        });
        await client.query(sql.join(";\n"));
      }
      await client.end();
    }),
  );
  return dbUrl;
}

async function realBench(adminUrl: string, catalog: Catalog) {
  const { shared, tenants, admin } = fleet();
  const [dbUrl, setupMs] = await time(() => buildRealFleet(adminUrl, catalog));
  console.log(`real fleet: ${TENANTS} tenant schemas with history tables in ${DATABASES} databases, built in ${(setupMs / 1000).toFixed(1)} s`);
  try {
    const schemasOf = (d: number) => tenants.filter((t) => t.databaseName === shared[d]!.databaseName).map((t) => t.schemaName);
    const connect = () =>
      Promise.all(
        shared.map(async (s) => {
          const c = new pg.Client({ connectionString: dbUrl(s.databaseName) });
          await c.connect();
          return c;
        }),
      );
    const readAll = (clients: pg.Client[]) => Promise.all(clients.map((c, d) => readDatabaseHistories(c, schemasOf(d))));
    // As a plan runs it: fresh connections (a backend's first read of each table also loads its
    // catalog entries), every database in parallel. Then the same again on the warmed sessions.
    const [[clients, perDb], coldMs] = await time(async () => {
      const cs = await connect();
      return [cs, await readAll(cs)] as const;
    });
    const [, warmMs] = await time(() => readAll(clients));
    const histories = new Map<string, HistoryRow[]>(providerHistories(catalog, shared, admin));
    perDb.forEach((map, d) => {
      for (const [schema, rows] of map) histories.set(`${shared[d]!.connectionId}/${schema}`, rows);
    });
    const [plan, planMs] = await time(() => planMigrations({ catalog, targets: tenants, providers: [...shared, admin], histories }));
    console.log(`  bulk history read, ${DATABASES} databases in parallel, batches of ${BULK_CHUNK} schemas:`);
    console.log(`    fresh connections (connect + read): ${ms(coldMs)}; warmed sessions: ${ms(warmMs)}`);
    console.log(`  plan from those histories: ${ms(planMs)}; fresh read + plan: ${ms(coldMs + planMs)}; pending ${plan.totals.pendingMigrations}`);

    const one = clients[0]!;
    const schemas = schemasOf(0);
    for (const chunk of [100, 250, BULK_CHUNK, 1000]) {
      const [, t] = await time(() => readDatabaseHistories(one, schemas, chunk));
      console.log(`  one warmed session, ${schemas.length} schemas, batches of ${chunk}: ${ms(t)}`);
    }
    const [, perSchema] = await time(async () => {
      for (const s of schemas) await readTargetHistory(one, s);
    });
    console.log(`  one warmed session, ${schemas.length} schemas, readTargetHistory per schema (2 queries each): ${ms(perSchema)}`);
    await Promise.all(clients.map((c) => c.end()));
  } finally {
    const adminClient = new pg.Client({ connectionString: adminUrl });
    await adminClient.connect();
    for (const s of shared) await adminClient.query(`drop database if exists ${quoteIdent(s.databaseName)} with (force)`);
    await adminClient.end();
  }
}

const [catalog, loadMs] = await time(() => loadCatalog(path.resolve("examples/migrations")));
console.log(`catalog: ${catalog.migrations.length} migrations loaded and parsed in ${ms(loadMs)}`);
const { median: planMs } = await pureBench(catalog);
if (planMs > 2000) console.log(`  ABOVE the 2 s aim`);
const url = process.env.BENCH_DATABASE_URL;
if (url) await realBench(url, catalog);
else console.log("set BENCH_DATABASE_URL to also time the bulk history read against real databases");
