/**
 * A fleet of 100,000 registered tenants over 20 databases on one server: the no-op check, a plan
 * preview of every tenant and its first page of targets, recording an execution for the ones behind,
 * the Tenants list with search and filters, the Overview's figures, and the console's memory during
 * each.
 *
 *   npx tsx bench/scale.ts
 *
 * Environment: BENCH_DATABASE_URL (a superuser URL; default the local server), BENCH_TENANTS
 * (default 100,000), BENCH_DATABASES (default 20: two regions, each with its shared database, the
 * rest dedicated tenant databases), BENCH_BEHIND_EVERY (default 20: one tenant in 20 is behind, 5 %),
 * MIGRATIONS_DIR (default the example catalog), BENCH_UNTRACKED=1 (history tables without the change
 * trigger, as tables made before the console tracked them: every plan then reads every table).
 *
 * Building: one database is filled with its share of tenant schemas (one DO block per 250 schemas:
 * schema, history table with the change trigger a console run gives it, the whole tenant tier's
 * rows), vacuumed, then copied as the template of the
 * other fleet databases (a file copy, seconds instead of minutes); registry rows go in with one
 * INSERT … SELECT per database. Every tenant starts at head for the no-op check; then one tenant in
 * BENCH_BEHIND_EVERY loses its newest history row in every database (one statement per database)
 * and the rest is measured on that fleet. All bench databases are dropped at the end.
 *
 * Everything runs in this process through the services the routes call, so this process is the
 * console whose memory is reported (peak RSS sampled every 10 ms during each step).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { databaseUrl, prepareControlPlane, registerDatabase } from "./support/bench-control-plane";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TENANTS = Math.max(1, Number(process.env.BENCH_TENANTS ?? 100_000));
const DATABASES = Math.max(2, Number(process.env.BENCH_DATABASES ?? 20));
const BEHIND_EVERY = Math.max(2, Number(process.env.BENCH_BEHIND_EVERY ?? 20));
const TRACKED = process.env.BENCH_UNTRACKED !== "1";
const CATALOG_DIR = path.resolve(process.env.MIGRATIONS_DIR ?? "examples/migrations");
const PREFIX = `bench_scale_${randomBytes(3).toString("hex")}`;
const REGIONS = ["eu", "us"];
const PER_DB = Math.ceil(TENANTS / DATABASES);
const dbUrl = (name: string) => databaseUrl(ADMIN_URL, name);
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const created: string[] = [];

async function withClient<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: dbUrl(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const ms = (n: number) => `${Math.round(n)} ms`;
const secs = (n: number) => `${(n / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Run with `node --expose-gc --import tsx bench/scale.ts` and each step also reports the heap still
 * alive after it (a full collection first): what the console keeps, apart from the garbage a step
 * leaves for the collector, which the peak RSS includes.
 */
const collect = (globalThis as { gc?: () => void }).gc;
let liveAfter: number | null = null;

/** Times `work` and samples this process's RSS meanwhile; returns the value, ms and peak RSS. */
async function measure<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  try {
    const value = await work();
    const elapsed = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().rss);
    if (collect) {
      collect();
      liveAfter = process.memoryUsage().heapUsed;
    }
    return [value, elapsed, peak];
  } finally {
    clearInterval(timer);
  }
}

const figures: { step: string; time: string; rss: string; live: string }[] = [];
function record(step: string, time: string, rss: number) {
  const live = liveAfter === null ? "" : mib(liveAfter);
  figures.push({ step, time, rss: mib(rss), live });
  console.log(`  ${step}: ${time} (peak RSS ${mib(rss)}${live ? `, live heap after ${live}` : ""})`);
}

async function main() {
  const started = performance.now();
  const progress = (what: string) => console.log(`[${secs(performance.now() - started)}] ${what}`);
  const cp = `${PREFIX}_cp`;
  const admin = `${PREFIX}_admin`;
  const template = `${PREFIX}_tpl`;
  const fleetDbs = Array.from({ length: DATABASES }, (_, d) => ({
    name: `${PREFIX}_db${String(d).padStart(2, "0")}`,
    region: REGIONS[d % REGIONS.length]!,
    // The first database of each region is its shared one; the others are dedicated tenant databases.
    tier: d < REGIONS.length ? ("shared" as const) : ("tenant" as const),
    tenants: Math.max(0, Math.min(PER_DB, TENANTS - d * PER_DB)),
  }));
  await withClient("postgres", async (c) => {
    for (const db of [cp, admin, template]) {
      await c.query(`create database ${q(db)}`);
      created.push(db);
    }
  });
  await prepareControlPlane(ADMIN_URL, cp, CATALOG_DIR);
  const { getDb, closeControlPlane } = await import("../server/db/client");
  const { loadCatalog } = await import("../server/migrations/engine/catalog");
  const { executeTarget } = await import("../server/migrations/engine/execute-target");
  const { withNewClient } = await import("../server/migrations/engine/target-run");
  const { buildFleetPlan } = await import("../server/migrations/plans/plan-service");
  const { discoverTargets } = await import("../server/migrations/plans/discover-targets");
  const { readFleetHistories } = await import("../server/migrations/plans/read-histories");
  const { recordHistories, listTenantsWithState, fleetState } = await import("../server/migrations/plans/fleet-state");
  const { planMigrations } = await import("../server/migrations/engine/plan");
  const { createExecution } = await import("../server/migrations/executions/create-execution");
  const { previewPlan, keptPlanPage } = await import("../server/migrations/plans/kept-plans");
  const { ZPlanQuery } = await import("../server/migrations/plans/plan-schemas");
  const { ZTenantListQuery } = await import("../server/tenants/schemas");
  const { stopFleetPools } = await import("../server/fleet/pool-manager");
  const { TRACKING_OBJECTS_SQL, historyTriggerSql } = await import("../server/migrations/engine/history-tracking-repository");
  const { clearHistoryCache, rememberedHistories } = await import("../server/migrations/plans/history-cache");
  const { forgetRecordedStates } = await import("../server/migrations/plans/fleet-state");
  const { quoteIdent } = await import("../server/migrations/engine/quote-ident");
  const { sql } = await import("drizzle-orm");

  const catalog = await loadCatalog(CATALOG_DIR);
  const tier = catalog.byTier.tenant;
  if (tier.length === 0) throw new Error("the catalog has no tenant migrations");

  // The template: PER_DB tenant schemas at head, in DO blocks of 250 (each one transaction: the
  // locks of the tables it creates are held until it commits).
  // The trigger statement the engine sends, with the schema left to the DO block.
  const placeholder = "bench_schema_placeholder";
  const trigger = TRACKED ? historyTriggerSql(placeholder).replace(quoteIdent(placeholder), "' || s || '") : null;
  const [, templateMs] = await measure(() =>
    withClient(template, async (c) => {
      if (TRACKED) for (const statement of TRACKING_OBJECTS_SQL) await c.query(statement);
      const values = tier.map((m) => `(${lit(m.version)}, ${lit(m.name)}, ${lit(m.checksum)}, 'bench', 10, 'bench')`).join(", ");
      for (let b = 0; b < PER_DB; b += 250) {
        await c.query(`do $$ declare s text; begin
          for j in ${b}..${Math.min(b + 250, PER_DB) - 1} loop
            s := format('%I', 'tenant_' || lpad(j::text, 5, '0'));
            execute 'create schema ' || s;
            execute 'create table ' || s || '._schema_migrations (version text primary key, name text not null, checksum text not null,
               applied_at timestamptz not null default now(), execution_id text, duration_ms integer, applied_by text,
               state text not null default ''applied'' constraint _schema_migrations_state_check
                 check (state in (''applied'', ''started'', ''failed'', ''baselined'')))';
            ${trigger ? `execute '${trigger}';` : ""}
            execute 'insert into ' || s || '._schema_migrations (version, name, checksum, execution_id, duration_ms, applied_by) values ${values.replaceAll("'", "''")}';
          end loop; end $$`);
        if ((b / 250) % 4 === 3) progress(`template: ${Math.min(b + 250, PER_DB)} of ${PER_DB} schemas`);
      }
      // A production fleet's history tables were written long ago: hint bits set, statistics there.
      await c.query("vacuum analyze");
    }),
  );
  progress(`template database: ${PER_DB} tenant schemas at head${TRACKED ? ", history tables tracked" : ", history tables NOT tracked"} in ${secs(templateMs)}`);

  // The fleet databases: copies of the template (a file copy of the whole database).
  await withClient("postgres", async (c) => {
    for (const f of fleetDbs) {
      await c.query(`create database ${q(f.name)} template ${q(template)} strategy file_copy`);
      created.push(f.name);
    }
  });
  progress(`${DATABASES} fleet databases copied from the template`);

  // Registry: the databases through the console's service, the tenants in bulk.
  const register = (name: string, database: string, t: "admin" | "shared" | "tenant", region: string | null) =>
    registerDatabase(ADMIN_URL, name, database, t, region);
  await register("admin", admin, "admin", null);
  const ids = new Map<string, string>();
  for (const f of fleetDbs) ids.set(f.name, await register(f.name, f.name, f.tier, f.region));
  const db = getDb();
  for (const [d, f] of fleetDbs.entries()) {
    if (f.tenants === 0) continue;
    // Slugs t-<n>, n = the tenant's number in the fleet; schema tenant_<j> in its database.
    await db.execute(sql`
      insert into console.tenants (slug, name, region, connection_id, schema_name, created_by)
      select 't-' || (${d * PER_DB}::int + j), 'Tenant ' || (${d * PER_DB}::int + j), ${f.region}, ${ids.get(f.name)!}::uuid,
             'tenant_' || lpad(j::text, 5, '0'), 'bench'
      from generate_series(0, ${f.tenants - 1}::int) j`);
  }
  await db.execute(sql`vacuum analyze console.tenants`);
  progress(`${TENANTS} tenants registered`);

  // Providers up to date: the admin database and each region's shared database.
  const providers: [string, "admin" | "shared", string | null][] = [
    [admin, "admin", null],
    ...fleetDbs.filter((f) => f.tier === "shared").map((f): [string, "shared", string] => [f.name, "shared", f.region]),
  ];
  for (const [database, t, region] of providers) {
    const r = await executeTarget({
      catalog,
      target: { connectionId: database, connectionName: database, databaseName: database, schemaName: "public", tier: t, region },
      withClient: withNewClient({ connectionString: dbUrl(database) }),
    });
    if (r.status !== "succeeded") throw new Error(`preparing ${database}: ${r.error?.message}`);
  }
  progress("providers migrated; measuring");
  console.log(`fleet: ${TENANTS} tenants over ${DATABASES} databases (${REGIONS.length} regions), ${tier.length} tenant migrations`);

  // 1. The no-op check: execute scope tenant with every tenant at head.
  const execute = () => createExecution({ scope: { scope: "tenant" }, dryRun: false, executedBy: "bench" });
  const checkNoop = async (row: Awaited<ReturnType<typeof execute>>) => {
    if (row && row.status === "completed" && row.totalTargets === 0) return;
    const disc = await discoverTargets({ scope: "tenant" });
    const { unreachable } = await readFleetHistories([...disc.targets, ...disc.providers], disc.connections);
    for (const u of unreachable.values()) console.error(`  unreachable: ${u.connectionName}: ${u.code} ${u.message}`);
    throw new Error(`expected nothing to do, got ${row?.status} with ${row?.totalTargets} targets`);
  };
  // The very first plan also fills the fleet state store (one row per target); then fresh sessions.
  const [first, firstMs, firstRss] = await measure(execute);
  await checkNoop(first);
  record("first no-op execute (fleet state store empty: 100 % of its rows written)", ms(firstMs), firstRss);
  await stopFleetPools();
  const [cold, coldMs, coldRss] = await measure(execute);
  await checkNoop(cold);
  const warm: number[] = [];
  let warmRss = 0;
  for (let i = 0; i < 3; i++) {
    const [row, t, rss] = await measure(execute);
    await checkNoop(row);
    warm.push(t);
    warmRss = Math.max(warmRss, rss);
  }
  console.log(`execute scope tenant over ${TENANTS} up-to-date tenants (plan + record an execution with nothing to do):`);
  console.log(`  cold (fresh fleet sessions): ${ms(coldMs)}`);
  console.log(`  warm (pooled sessions):      ${warm.map(ms).join(", ")}`);
  record("no-op execute, cold", ms(coldMs), coldRss);
  record("no-op execute, warm (best of 3)", ms(Math.min(...warm)), warmRss);
  console.log(`  histories remembered by this process: ${rememberedHistories()}`);

  // A console just started: nothing remembered, fresh sessions (every table is read once).
  clearHistoryCache();
  forgetRecordedStates();
  await stopFleetPools();
  const [restart, restartMs, restartRss] = await measure(execute);
  await checkNoop(restart);
  console.log(`  after a console start (nothing remembered, fresh sessions): ${ms(restartMs)}`);
  record("no-op execute after a console start (nothing remembered)", ms(restartMs), restartRss);

  // Where the time of a no-op goes: the history read on fresh sessions (with nothing remembered,
  // then remembered), then each step warm.
  await stopFleetPools();
  const [disc, discoverMs] = await measure(() => discoverTargets({ scope: "tenant" }));
  const read = [...disc.targets, ...disc.providers];
  clearHistoryCache();
  const [, fullReadMs, fullReadRss] = await measure(() => readFleetHistories(read, disc.connections));
  record("history read alone, fresh fleet sessions, nothing remembered", ms(fullReadMs), fullReadRss);
  await stopFleetPools();
  const [, freshReadMs, freshReadRss] = await measure(() => readFleetHistories(read, disc.connections));
  record("history read alone, fresh fleet sessions", ms(freshReadMs), freshReadRss);
  const [histories, readMs] = await measure(() => readFleetHistories(read, disc.connections));
  const [, recordMs] = await measure(() => recordHistories(catalog, read, histories.histories, histories.unreachable, new Date()));
  const [, planOnlyMs] = await measure(async () =>
    planMigrations({ catalog, targets: disc.targets, providers: disc.providers, histories: histories.histories }),
  );
  console.log(
    `  of which (warm): registry discovery ${ms(discoverMs)}, history read ${ms(readMs)}, fleet state record ${ms(recordMs)}, planning ${ms(planOnlyMs)}`,
  );

  // 2. One tenant in BENCH_BEHIND_EVERY loses its newest history row, in every database.
  const newest = tier.at(-1)!.version;
  await Promise.all(
    fleetDbs.map((f) =>
      withClient(f.name, (c) =>
        c.query(`do $$ begin
          for j in 0..${f.tenants - 1} by ${BEHIND_EVERY} loop
            execute format('delete from %I._schema_migrations where version = %L', 'tenant_' || lpad(j::text, 5, '0'), ${lit(newest)});
          end loop; end $$`),
      ),
    ),
  );
  const behind = fleetDbs.reduce((n, f) => n + Math.ceil(f.tenants / BEHIND_EVERY), 0);
  console.log(`${behind} tenants now one migration behind`);

  // 3. Plan preview of every tenant (what GET /api/migrations/dynamic/plan does), then its pages.
  const planQuery = (extra: Record<string, string> = {}) => ZPlanQuery.parse({ scope: "tenant", limit: "100", ...extra });
  const [preview, previewMs, previewRss] = await measure(() => previewPlan(planQuery()));
  if (preview.totals.pending !== behind) throw new Error(`expected ${behind} pending targets, the plan says ${preview.totals.pending}`);
  record(`plan preview of ${TENANTS} tenants (first page of 100 included)`, ms(previewMs), previewRss);
  const pages: number[] = [];
  let pageRss = 0;
  const pageQueries: Record<string, string>[] = [{}, { offset: "100" }, { offset: String(TENANTS - 100) }, { status: "pending" }, { status: "pending", offset: String(Math.max(0, behind - 200)) }];
  for (const extra of pageQueries) {
    const [page, t, rss] = await measure(async () => keptPlanPage(preview.fingerprint, planQuery(extra)));
    if (!page || page.targets.length === 0) throw new Error(`no page for ${JSON.stringify(extra)}`);
    pages.push(t);
    pageRss = Math.max(pageRss, rss);
  }
  record("a page of the kept plan's targets (first, second, last, pending, pending deep)", pages.map(ms).join(", "), pageRss);

  // 4. Recording an execution for the tenants behind, pinned to the previewed fingerprint.
  const [execution, executeMs, executeRss] = await measure(() =>
    createExecution({ scope: { scope: "tenant" }, dryRun: false, planFingerprint: preview.fingerprint, executedBy: "bench" }),
  );
  if (execution?.totalTargets !== behind) throw new Error(`expected ${behind} targets recorded, got ${execution?.totalTargets}`);
  record(`execute pinned to the preview: plan again + record ${behind} targets and jobs`, ms(executeMs), executeRss);

  // 5. The Tenants list (GET /api/tenants, migration_state included) and 6. the Overview's figures.
  const lists: [string, Record<string, string>][] = [
    ["first page", {}],
    ["search by slug", { search: "t-4242" }],
    ["search, no match", { search: "nobody-here" }],
    ["state behind", { state: "behind" }],
    ["region eu, at head", { region: "eu", state: "at_head" }],
    ["sorted by version", { sort: "version" }],
    ["page 1,000", { offset: String(Math.min(TENANTS - 50, 50_000)) }],
  ];
  for (const [label, query] of lists) {
    const parsed = ZTenantListQuery.parse(query);
    await listTenantsWithState(parsed);
    const times: number[] = [];
    let rss = 0;
    for (let i = 0; i < 3; i++) {
      const [, t, r] = await measure(() => listTenantsWithState(parsed));
      times.push(t);
      rss = Math.max(rss, r);
    }
    record(`Tenants list, ${label} (median of 3)`, ms(median(times)), rss);
  }
  const overview: number[] = [];
  let overviewRss = 0;
  for (let i = 0; i < 3; i++) {
    const [state, t, r] = await measure(() => fleetState({}));
    if (state.totals.behind !== behind) throw new Error(`Overview: expected ${behind} behind, got ${state.totals.behind}`);
    overview.push(t);
    overviewRss = Math.max(overviewRss, r);
  }
  record("Overview figures (median of 3)", ms(median(overview)), overviewRss);

  console.log(`\nsummary (${TENANTS} tenants, ${DATABASES} databases; peak RSS of this process over the whole run ${mib(process.resourceUsage().maxRSS * 1024)}):`);
  console.log(`| step | time | peak RSS |${collect ? " live heap after |" : ""}\n|---|---|---|${collect ? "---|" : ""}`);
  for (const f of figures) console.log(`| ${f.step} | ${f.time} | ${f.rss} |${collect ? ` ${f.live} |` : ""}`);
  void buildFleetPlan;
  await stopFleetPools();
  await closeControlPlane();
}

async function cleanup() {
  await withClient("postgres", async (c) => {
    for (const name of created) await c.query(`drop database if exists ${q(name)} with (force)`).catch(() => {});
  });
}

main()
  .then(cleanup)
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exit(1);
  });
