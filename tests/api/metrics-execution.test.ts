import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as detailed from "../../app/api/health/detailed/route";
import * as prometheus from "../../app/api/metrics/route";
import { executeOrThrow, waitForEnd } from "../executions/exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";
import { callEndpoint } from "./contract";
import { parsePrometheusText, sampleValue } from "./prometheus-text";

/**
 * Acceptance 4, end to end: a real execution (the example catalog over a small fleet, through
 * POST /api/migrations/execute and an in-process worker) moves the Prometheus series, and the
 * worker's heartbeat makes the detailed health's worker service healthy.
 */

let env: ExecutionEnv;

beforeAll(async () => {
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 3, prefix: "metx" });
});

afterAll(() => stopExecutionEnv(env));

async function scrape() {
  const res = await callEndpoint(prometheus.GET, { token: env.tokens.admin });
  expect(res.status).toBe(200);
  return parsePrometheusText(res.text);
}

describe("metrics while executions run", () => {
  it("executions and migrated targets move when an execution runs", async () => {
    const before = await scrape();
    const completed = (f: typeof before) => sampleValue(f, "console_executions", { kind: "migrate", status: "completed" }) ?? 0;
    const migrated = (f: typeof before) => sampleValue(f, "console_execution_targets", { kind: "migrate", result: "succeeded" }) ?? 0;

    const id = await executeOrThrow(env.tokens.operator, { scope: "all" });
    const done = await waitForEnd(env.tokens.operator, id, 120_000);
    expect(done.status).toBe("completed");

    const after = await scrape();
    expect(completed(after)).toBe(completed(before) + 1);
    // admin + the region's shared database + 3 tenants.
    expect(migrated(after)).toBe(migrated(before) + 5);
    expect(sampleValue(after, "console_execution_targets", { kind: "migrate", result: "failed" })).toBe(0);
    expect(sampleValue(after, "console_queue_jobs", { state: "ready" })).toBe(0);

    // The in-process worker counts the work it did itself, with durations.
    const finished = (f: typeof before) => sampleValue(f, "console_targets_finished_total", { status: "succeeded" }) ?? 0;
    expect(finished(after)).toBe(finished(before) + 5);
    const ended = (f: typeof before) => sampleValue(f, "console_executions_finished_total", { status: "completed" }) ?? 0;
    expect(ended(after)).toBe(ended(before) + 1);
    const timed = (f: typeof before) => sampleValue(f, "console_target_migration_duration_seconds_count", { status: "succeeded" }) ?? 0;
    expect(timed(after)).toBe(timed(before) + 5);
  });

  it("a live worker makes the worker service healthy", async () => {
    const res = await callEndpoint(detailed.GET, { token: env.tokens.admin });
    const service = res.json.services.find((s: { name: string }) => s.name === "worker");
    expect(service).toMatchObject({ status: "healthy", details: { workers: { live: 1 }, queue: { available: true } } });
  });
});
