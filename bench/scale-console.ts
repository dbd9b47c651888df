/**
 * The scale fleet (bench/support/scale-fleet.ts: 100,000 tenants over 20 databases) measured on a
 * real console: what `npm start` runs (package.json, without npm in front: server/runtime/main.ts
 * with the production build, its web server, background services and the development realm)
 * pointed at the fleet's control plane, driven through the REST API with a `ci-admin` token, as
 * automation would. Each step reports its time and the peak RSS of the console's server process (its
 * kernel high-water mark, reset before the step) and of its whole process tree (sampled every 10 ms;
 * the same while the console is one process).
 *
 *   npx tsx bench/scale-console.ts
 *
 * Environment: as bench/scale.ts (BENCH_TENANTS, BENCH_DATABASES, BENCH_BEHIND_EVERY,
 * BENCH_DATABASE_URL, MIGRATIONS_DIR, BENCH_UNTRACKED), BENCH_PORT (default 3290) for the console.
 * The console runs with WORKERS=0: executions are recorded and queued, their targets not run (the
 * worker's memory is per target, not per fleet). The production build is made first if stale.
 * Steps: the first no-op execute (fleet state store empty, every history table read and stored),
 * three warm no-ops, a restart of the console and its first no-op (nothing in memory: the histories
 * come from the control plane), then with 5 % behind a plan preview and pages of it, an execute
 * pinned to the preview, the Tenants list cases and the Overview's figures.
 */
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApiClient, type ApiClient } from "../api-client/client";
import { ciAdminToken, startBenchConsole } from "./support/bench-console";
import { runBench } from "./support/bench-control-plane";
import { buildScaleFleet, randomPrefix, scaleSettings, tenantListCases, type ScaleFleet } from "./support/scale-fleet";

const SETTINGS = scaleSettings();
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const REALM_PORT = PORT + 5000;
const BASE_URL = `http://localhost:${PORT}`;
const PAGE_SIZE = 4096;

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const ms = (n: number) => `${Math.round(n)} ms`;
const secs = (n: number) => `${(n / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const started = performance.now();
const progress = (what: string) => console.log(`[${secs(performance.now() - started)}] ${what}`);

// ── The console's processes and their memory (Linux /proc) ──────────────────────────────────────

const readOr = (file: string, fallback: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
};

/** The process and every descendant. */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      for (const child of readOr(`/proc/${pids[i]}/task/${tid}/children`, "").split(" ").filter(Boolean)) pids.push(Number(child));
    }
  }
  return pids;
}

/** Resident bytes of one process (0 once it is gone). */
const rss = (pid: number) => Number(readOr(`/proc/${pid}/statm`, "0 0").split(" ")[1] ?? 0) * PAGE_SIZE;

/** The kernel's high-water mark of a process's RSS (VmHWM), in bytes. */
const highWater = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readOr(`/proc/${pid}/status`, ""))?.[1] ?? 0) * 1024;

/** Resets VmHWM to the current RSS (writing 5 to clear_refs); false where the kernel refuses. */
function resetHighWater(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

interface Console {
  launcher: ChildProcess;
  /** The node process running server/runtime/main.ts (the launcher itself or its child). */
  server: number;
  stop(): Promise<void>;
}

/**
 * The command of `npm start` (package.json), without npm in front: `tsx …` runs tsx's launcher,
 * which runs the console in a child process; `node …` runs the console in that one process.
 */
const startScript = () => (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
function startCommand(): string[] {
  const [program, ...args] = startScript().split(/\s+/);
  if (program === "tsx") return [path.join("node_modules", "tsx", "dist", "cli.mjs"), ...args];
  if (program === "node") return args;
  throw new Error(`npm start runs ${program}: this bench knows tsx and node`);
}

/** `npm start` without npm, until the console is ready. */
async function startConsole(controlPlaneUrl: string): Promise<Console> {
  const { child: launcher, stop } = await startBenchConsole({
    args: startCommand(),
    env: {
      ENVIRONMENT: "testing",
      DATABASE_URL: controlPlaneUrl,
      PORT: String(PORT),
      DEV_REALM_PORT: String(REALM_PORT),
      KEYCLOAK_URL: "",
      DEMO_FLEET: "false",
      WORKERS: "0",
      HEALTH_CHECK_ENABLED: "true",
      RATE_LIMIT_ENABLED: "false",
      LOG_LEVEL: "warn",
    },
    baseUrl: BASE_URL,
    dataDirPrefix: "console-scale-",
    timeoutMinutes: 10,
  });
  // Under tsx's launcher the console is its child; started by node, the process itself.
  const server = processTree(launcher.pid!).find((pid) => readOr(`/proc/${pid}/cmdline`, "").split("\0").includes("server/runtime/main.ts"))!;
  return { launcher, server, stop };
}

// ── Measuring ───────────────────────────────────────────────────────────────────────────────────

const figures: { step: string; time: string; server: number; tree: number; heap: string }[] = [];
let current: Console | null = null;
let api!: ApiClient;

/** The server's V8 heap after a step (used of total) and memory outside it, from GET /api/health/metrics. */
async function heapNow(): Promise<string> {
  const { memory } = (await api.getSystemMetrics()).process;
  return `${mib(memory.heap_used_bytes)} of ${mib(memory.heap_total_bytes)}, external ${mib(memory.external_bytes)}`;
}

/** Times `work`; the server's RSS high-water mark over it and the tree's sampled peak. */
async function measure<T>(work: () => Promise<T>): Promise<[T, number, number, number]> {
  const c = current!;
  const exact = resetHighWater(c.server);
  let serverPeak = rss(c.server);
  let treePeak = 0;
  const sample = () => {
    const pids = processTree(c.launcher.pid!);
    treePeak = Math.max(treePeak, pids.reduce((sum, pid) => sum + rss(pid), 0));
    serverPeak = Math.max(serverPeak, rss(c.server));
  };
  sample();
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  try {
    const value = await work();
    const elapsed = performance.now() - t0;
    sample();
    if (exact) serverPeak = Math.max(serverPeak, highWater(c.server));
    return [value, elapsed, serverPeak, treePeak];
  } finally {
    clearInterval(timer);
  }
}

async function record(step: string, time: string, server: number, tree: number) {
  const heap = await heapNow();
  figures.push({ step, time, server, tree, heap });
  console.log(`  ${step}: ${time} (peak RSS: server process ${mib(server)}, whole process tree ${mib(tree)}; heap after: ${heap})`);
}

/** Runs `work` `times` times; the median time and the highest peaks. */
async function repeat(times: number, step: string, work: () => Promise<unknown>) {
  const t: number[] = [];
  let server = 0;
  let tree = 0;
  for (let i = 0; i < times; i++) {
    const [, elapsed, s, w] = await measure(work);
    t.push(elapsed);
    server = Math.max(server, s);
    tree = Math.max(tree, w);
  }
  await record(`${step} (median of ${times})`, ms(median(t)), server, tree);
}

// ── The run ─────────────────────────────────────────────────────────────────────────────────────

let fleet: ScaleFleet | null = null;

async function main() {
  const { tenants, databases } = SETTINGS;
  fleet = await buildScaleFleet(SETTINGS, randomPrefix("scalecon"), progress);
  console.log(`fleet: ${tenants} tenants over ${databases} databases (${fleet.regions.length} regions), ${fleet.tenantMigrations} tenant migrations`);
  const cpUrl = fleet.controlPlaneUrl;

  const loadAtStart = os.loadavg()[0]!.toFixed(1);
  progress(`starting the console (the production build is made first if stale); load average ${loadAtStart}`);
  current = await startConsole(cpUrl);
  api = createApiClient({ baseUrl: BASE_URL, token: await ciAdminToken(`http://localhost:${REALM_PORT}`) });
  progress(`console ready: server process ${current.server}`);
  const idle = async (label: string) => {
    await new Promise((r) => setTimeout(r, 3_000));
    const pids = processTree(current!.launcher.pid!);
    await record(label, "-", rss(current!.server), pids.reduce((sum, pid) => sum + rss(pid), 0));
  };
  await idle("console started, idle 3 s");

  const noop = async () => {
    const execution = await api.execute({ body: { scope: "tenant" } });
    if (execution.status !== "completed" || execution.progress.total_targets !== 0) {
      throw new Error(`expected nothing to do, got ${execution.status} with ${execution.progress.total_targets} targets`);
    }
  };
  const [, firstMs, firstServer, firstTree] = await measure(noop);
  await record("first no-op execute (fleet state store empty: every row written)", ms(firstMs), firstServer, firstTree);
  await repeat(3, "no-op execute, warm", noop);

  progress("restarting the console");
  await current.stop();
  current = await startConsole(cpUrl);
  api = createApiClient({ baseUrl: BASE_URL, token: await ciAdminToken(`http://localhost:${REALM_PORT}`) });
  await idle("console restarted, idle 3 s");
  const [, restartMs, restartServer, restartTree] = await measure(noop);
  await record("no-op execute after the restart (nothing in memory: histories from the control plane)", ms(restartMs), restartServer, restartTree);

  const behind = await fleet.makeBehind();
  console.log(`${behind} tenants now one migration behind`);

  const [preview, previewMs, previewServer, previewTree] = await measure(() => api.getPlan({ query: { scope: "tenant", limit: 100 } }));
  if (preview.totals.pending !== behind) throw new Error(`expected ${behind} pending targets, the plan says ${preview.totals.pending}`);
  await record(`plan preview of ${tenants} tenants (first page of 100 included)`, ms(previewMs), previewServer, previewTree);
  const fingerprint = preview.fingerprint;
  const pages: [string, Record<string, string | number>][] = [
    ["second", { offset: 100 }],
    ["last", { offset: tenants - 100 }],
    ["pending", { status: "pending" }],
    ["pending, deep", { status: "pending", offset: Math.max(0, behind - 200) }],
  ];
  for (const [label, extra] of pages) {
    await repeat(3, `a page of the kept plan: ${label}`, async () => {
      const page = await api.getPlan({ query: { scope: "tenant", limit: 100, fingerprint, ...extra } });
      if (page.fingerprint !== fingerprint || page.targets.length === 0) throw new Error(`page ${label}: not the kept plan's page`);
    });
  }

  const [execution, executeMs, executeServer, executeTree] = await measure(() =>
    api.execute({ body: { scope: "tenant", plan_fingerprint: fingerprint } }),
  );
  if (execution.progress.total_targets !== behind) throw new Error(`expected ${behind} targets recorded, got ${execution.progress.total_targets}`);
  await record(`execute pinned to the preview: plan again + record ${behind} targets and jobs`, ms(executeMs), executeServer, executeTree);
  await api.cancel({ params: { id: execution.id } }).catch(() => {});

  const lists = tenantListCases(tenants);
  for (const [label, query] of lists) {
    await api.listTenants({ query });
    await repeat(3, `Tenants list, ${label}`, () => api.listTenants({ query }));
  }
  await repeat(3, "Overview figures", async () => {
    const state = await api.getFleetState({ query: {} });
    if (state.totals.behind !== behind) throw new Error(`Overview: expected ${behind} behind, got ${state.totals.behind}`);
  });
  await idle("after every step, idle 3 s");

  const { default: pg } = await import("pg");
  const cp = new pg.Client({ connectionString: cpUrl });
  await cp.connect();
  const { rows: storeSize } = await cp.query<{ bytes: string; n: string }>(
    "select pg_total_relation_size('console.remembered_histories') as bytes, (select count(*) from console.remembered_histories) as n",
  );
  await cp.end();
  console.log(`histories stored in the control plane: ${storeSize[0]!.n} rows, ${mib(Number(storeSize[0]!.bytes))} on disk`);
  const loadAtEnd = os.loadavg()[0]!.toFixed(1);
  const worstServer = Math.max(...figures.map((f) => f.server));
  const worstTree = Math.max(...figures.map((f) => f.tree));
  console.log(`\nsummary (${tenants} tenants, ${databases} databases, a real console, \`npm start\` = ${JSON.stringify(startScript())}; load average ${loadAtStart} before the console started, ${loadAtEnd} at the end; worst peak RSS: server process ${mib(worstServer)}, whole process tree ${mib(worstTree)}):`);
  console.log("| step | time | peak RSS, server process | whole process tree | server heap after: used of total |\n|---|---|---|---|---|");
  for (const f of figures) console.log(`| ${f.step} | ${f.time} | ${mib(f.server)} | ${mib(f.tree)} | ${f.heap} |`);
}

async function cleanup() {
  await current?.stop().catch(() => {});
  current = null;
  const { closeControlPlane } = await import("../server/db/client");
  await closeControlPlane().catch(() => {});
  await fleet?.cleanup();
}

runBench(main, cleanup);
