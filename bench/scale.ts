/**
 * A fleet of 100,000 registered tenants over 20 databases on one server: the no-op check, a plan
 * preview of every tenant and its first page of targets, recording an execution for the ones behind,
 * the Tenants list with search and filters, the Overview's figures, and the console's memory during
 * each.
 *
 *   npx tsx bench/scale.ts
 *
 * Environment: BENCH_TENANTS (default 100,000), BENCH_DATABASES (default 20), BENCH_BEHIND_EVERY
 * (default 20: 5 % behind), BENCH_DATABASE_URL, MIGRATIONS_DIR, BENCH_UNTRACKED=1; the fleet and how
 * it is built: bench/support/scale-fleet.ts. Every tenant starts at head for the no-op check; then
 * one tenant in BENCH_BEHIND_EVERY loses its newest history row and the rest is measured on that
 * fleet. All bench databases are dropped at the end.
 *
 * Everything runs in this process through the services the routes call, so this process stands for
 * the console (peak RSS sampled every 10 ms during each step), without its web server:
 * bench/scale-console.ts measures a real console process on the same fleet through the REST API.
 */
import { runBench } from "./support/bench-control-plane";
import { buildScaleFleet, randomPrefix, scaleSettings, tenantListCases, type ScaleFleet } from "./support/scale-fleet";

const SETTINGS = scaleSettings();
const TENANTS = SETTINGS.tenants;
const DATABASES = SETTINGS.databases;

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

let fleet: ScaleFleet | null = null;

async function main() {
  const started = performance.now();
  const progress = (what: string) => console.log(`[${secs(performance.now() - started)}] ${what}`);
  fleet = await buildScaleFleet(SETTINGS, randomPrefix("scale"), progress);
  const { closeControlPlane, getDb } = await import("../server/db/client");
  const { clearStoredHistories } = await import("../server/migrations/plans/remembered-histories-repository");
  const { loadCatalog } = await import("../server/migrations/engine/catalog");
  const { discoverTargets } = await import("../server/migrations/plans/discover-targets");
  const { readFleetHistories } = await import("../server/migrations/plans/read-histories");
  const { recordHistories, listTenantsWithState, fleetState } = await import("../server/migrations/plans/fleet-state");
  const { planMigrations } = await import("../server/migrations/engine/plan");
  const { createExecution } = await import("../server/migrations/executions/create-execution");
  const { previewPlan, keptPlanPage } = await import("../server/migrations/plans/kept-plans");
  const { ZPlanQuery } = await import("../server/migrations/plans/plan-schemas");
  const { ZTenantListQuery } = await import("../server/tenants/schemas");
  const { stopFleetPools } = await import("../server/fleet/pool-manager");
  const { clearHistoryCache, rememberedHistories } = await import("../server/migrations/plans/history-cache");
  const { forgetRecordedStates } = await import("../server/migrations/plans/fleet-state");
  const catalog = await loadCatalog(SETTINGS.catalogDir);
  console.log(`fleet: ${TENANTS} tenants over ${DATABASES} databases (${fleet.regions.length} regions), ${fleet.tenantMigrations} tenant migrations`);

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

  // A console just started: nothing in its memory, fresh sessions; the histories the first plan
  // stored in the control plane are taken from there (no table changed since).
  clearHistoryCache();
  forgetRecordedStates();
  await stopFleetPools();
  const [restart, restartMs, restartRss] = await measure(execute);
  await checkNoop(restart);
  console.log(`  after a console start (nothing in memory, histories stored, fresh sessions): ${ms(restartMs)}`);
  record("no-op execute after a console start (nothing in memory; histories from the control plane)", ms(restartMs), restartRss);
  // The same with nothing stored either (the first plan of a new control plane): every table is read.
  clearHistoryCache();
  forgetRecordedStates();
  await clearStoredHistories(getDb());
  await stopFleetPools();
  const [fresh, freshMs, freshRss] = await measure(execute);
  await checkNoop(fresh);
  console.log(`  after a console start with nothing stored (every table read, then stored): ${ms(freshMs)}`);
  record("no-op execute after a console start, nothing stored either (every table read and stored)", ms(freshMs), freshRss);

  // Where the time of a no-op goes: the history read on fresh sessions (with nothing remembered,
  // then remembered), then each step warm.
  await stopFleetPools();
  const [disc, discoverMs] = await measure(() => discoverTargets({ scope: "tenant" }));
  const read = [...disc.targets, ...disc.providers];
  clearHistoryCache();
  await clearStoredHistories(getDb());
  const [, fullReadMs, fullReadRss] = await measure(() => readFleetHistories(read, disc.connections));
  record("history read alone, fresh fleet sessions, nothing remembered or stored (read and stored)", ms(fullReadMs), fullReadRss);
  clearHistoryCache();
  await stopFleetPools();
  const [, recallMs, recallRss] = await measure(() => readFleetHistories(read, disc.connections));
  record("history read alone, fresh fleet sessions, nothing in memory (from the control plane)", ms(recallMs), recallRss);
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
  const behind = await fleet.makeBehind();
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
  const lists = tenantListCases(TENANTS);
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
  await stopFleetPools();
  await closeControlPlane();
}

const cleanup = () => fleet?.cleanup();

runBench(main, cleanup);
