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
import os from "node:os";
import { ApiError, createApiClient, type ApiClient } from "../api-client/client";
import { ciAdminToken, startBenchConsole, type BenchConsole } from "./support/bench-console";

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
  const bearer = await ciAdminToken(realmUrl);
  const api = createApiClient({ baseUrl, token: bearer });
  say(`\n### ${label}\n`);
  say(`| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors |`);
  say(`|---|---:|---:|---:|---:|---:|`);
  for (const c of CASES) {
    const r = await measure(api, c);
    say(`| ${c.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`);
  }
}

function startConsole(rateLimited: boolean): Promise<BenchConsole> {
  return startBenchConsole({
    args: ["--import", "tsx", "server/runtime/main.ts"],
    env: {
      ENVIRONMENT: "testing",
      PORT: String(PORT),
      DEV_REALM_PORT: String(REALM_PORT),
      EMBEDDED_PG_PORT: String(PG_PORT),
      DATABASE_URL: "",
      KEYCLOAK_URL: "",
      DEMO_FLEET: "true",
      DEMO_FLEET_PREFIX: "bench",
      RATE_LIMIT_ENABLED: String(rateLimited),
      RATE_LIMIT_RPM: "1000000",
      LOG_LEVEL: "warn",
    },
    baseUrl: `http://localhost:${PORT}`,
    dataDirPrefix: "console-bench-",
    timeoutMinutes: 5,
  });
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
