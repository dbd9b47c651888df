/**
 * REST API latency and throughput for a few read endpoints, through the typed client.
 *
 *   npx tsx bench/api.ts                 starts a console of its own (embedded PostgreSQL, demo fleet,
 *                                        development realm; the production build, made if stale) twice:
 *                                        rate limiting off, then on (with a limit nobody reaches)
 *   BENCH_URL=http://localhost:3000 BENCH_REALM_URL=http://localhost:8089 npx tsx bench/api.ts
 *                                        measures a console that is already running instead
 *
 * Options (environment): BENCH_SECONDS per endpoint (default 8), BENCH_CONCURRENCY requests in
 * flight (default 10), BENCH_PORT (default 3190) for the console it starts.
 * The load comes from this process; the console runs in its own, so the two do not share a CPU
 * budget inside one event loop.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApiError, createApiClient, type ApiClient } from "../api-client/client";
import { clientSecretFromRealmFile } from "../server/auth/dev-realm/realm-file";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3190);
const REALM_PORT = PORT + 5000;
const PG_PORT = PORT + 51_000;

interface Case {
  name: string;
  call: (api: ApiClient) => Promise<unknown>;
}

const CASES: Case[] = [
  { name: "GET /api/health (public, no limiter)", call: (api) => api.getHealth() },
  { name: "GET /api/health/ready (one query)", call: (api) => api.getReadiness() },
  { name: "GET /api/databases?limit=50", call: (api) => api.listDatabases({ query: { limit: 50 } }) },
  { name: "GET /api/tenants?limit=50", call: (api) => api.listTenants({ query: { limit: 50 } }) },
  { name: "GET /api/openapi.json", call: (api) => api.getOpenApiDocument() },
  { name: "GET /api/metrics", call: (api) => api.getPrometheusMetrics() },
];

const say = (line: string) => console.log(line);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function token(realmUrl: string): Promise<string> {
  const response = await fetch(`${realmUrl}/realms/infrastructure/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "ci-admin", client_secret: clientSecretFromRealmFile("ci-admin") ?? "" }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** `CONCURRENCY` loops calling for `SECONDS`; latencies of successful calls, errors counted. */
async function measure(api: ApiClient, c: Case) {
  for (let i = 0; i < 20; i++) await c.call(api); // warm-up: JIT, pools, caches
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await c.call(api);
          latencies.push(performance.now() - t0);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          errors += 1;
        }
      }
    }),
  );
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / wall, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), errors, n: latencies.length };
}

async function runCases(baseUrl: string, realmUrl: string, label: string) {
  const bearer = await token(realmUrl);
  const api = createApiClient({ baseUrl, token: bearer });
  say(`\n### ${label}\n`);
  say(`| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors |`);
  say(`|---|---:|---:|---:|---:|---:|`);
  for (const c of CASES) {
    const r = await measure(api, c);
    say(`| ${c.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`);
  }
}

async function startConsole(rateLimited: boolean): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "console-bench-"));
  // mkdtemp makes the folder 0700; the embedded cluster runs as the `postgres` user when we are root.
  chmodSync(dataDir, 0o755);
  const child = spawn(process.execPath, ["--import", "tsx", "server/runtime/main.ts"], {
    cwd: process.cwd(),
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      ENVIRONMENT: "testing",
      PORT: String(PORT),
      DEV_REALM_PORT: String(REALM_PORT),
      EMBEDDED_PG_PORT: String(PG_PORT),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      KEYCLOAK_URL: "",
      DEMO_FLEET: "true",
      DEMO_FLEET_PREFIX: "bench",
      RATE_LIMIT_ENABLED: String(rateLimited),
      RATE_LIMIT_RPM: "1000000",
      LOG_LEVEL: "warn",
    },
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the console exited with code ${child.exitCode}`);
    const ready = await fetch(`http://localhost:${PORT}/api/health/ready`).then((r) => r.ok).catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error("the console did not become ready within 5 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    child,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  say(`## api — ${CONCURRENCY} requests in flight, ${SECONDS} s per endpoint, ${os.availableParallelism()} cores, Node ${process.version}`);
  if (process.env.BENCH_URL) {
    await runCases(process.env.BENCH_URL, process.env.BENCH_REALM_URL ?? "http://localhost:8089", "the running console");
    return;
  }
  for (const rateLimited of [false, true]) {
    const console_ = await startConsole(rateLimited);
    try {
      await runCases(
        `http://localhost:${PORT}`,
        `http://localhost:${REALM_PORT}`,
        rateLimited ? "rate limiting on (one counter upsert per request)" : "rate limiting off",
      );
    } finally {
      await console_.stop();
    }
  }
}

await main();
