import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as health from "../../app/api/health/route";
import * as databases from "../../app/api/databases/route";
import * as prometheus from "../../app/api/metrics/route";
import { closeControlPlane } from "../../server/db/client";
import { recordExecutionFinished, recordTargetFinished } from "../../server/migrations/executions/execution-metrics";
import { queryOn } from "../support/database";
import { type ApiEnv, setUpApi } from "./api-env";
import { callEndpoint } from "./contract";
import { parsePrometheusText, sampleValue } from "./prometheus-text";

/**
 * Acceptance 4: /api/metrics is valid Prometheus exposition text (read by a strict parser), open to
 * infrastructure:admin or the METRICS_TOKEN secret, and its series move with the work done.
 */

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
let env: ApiEnv;
let admin: string;

beforeAll(async () => {
  env = await setUpApi({ METRICS_TOKEN });
  admin = await env.tokenWith("infrastructure:admin");
});

afterAll(async () => {
  await env?.close();
});

async function scrape(token = admin) {
  const res = await callEndpoint(prometheus.GET, { token });
  expect(res.status, res.text).toBe(200);
  return parsePrometheusText(res.text);
}

describe("/api/metrics", () => {
  it("is Prometheus text with the console's series, and the process's own", async () => {
    const res = await callEndpoint(prometheus.GET, { token: admin });
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parsePrometheusText(res.text);
    const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      http_request_duration_seconds: "histogram",
      console_control_plane_up: "gauge",
      console_executions: "gauge",
      console_execution_targets: "gauge",
      console_targets_finished_total: "counter",
      console_target_migration_duration_seconds: "histogram",
      console_executions_finished_total: "counter",
      console_execution_duration_seconds: "histogram",
      console_queue_jobs: "gauge",
      console_queue_oldest_ready_age_seconds: "gauge",
      console_fleet_databases: "gauge",
      console_control_plane_pool_sessions: "gauge",
      console_fleet_pool_sessions: "gauge",
      process_cpu_user_seconds_total: "counter",
      process_resident_memory_bytes: "gauge",
    });
    expect(sampleValue(families, "console_control_plane_up")).toBe(1);
    expect(sampleValue(families, "console_control_plane_pool_sessions", { state: "max" })).toBe(20);
    expect(sampleValue(families, "console_queue_jobs", { state: "ready" })).toBe(0);
  });

  it("the parser is strict: malformed exposition is refused", () => {
    expect(() => parsePrometheusText("a_total 1")).toThrow(/newline/);
    expect(() => parsePrometheusText('# TYPE a counter\na{x="1} 1\n')).toThrow();
    expect(() => parsePrometheusText("# TYPE a counter\na -1\n")).toThrow(/counter/);
    expect(() => parsePrometheusText("# TYPE a gauge\na 1\na 2\n")).toThrow(/duplicate/);
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow(
      /cumulative/,
    );
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n')).toThrow(/_count/);
    expect(() => parsePrometheusText("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n")).toThrow(/grouped/);
  });

  it("accepts the METRICS_TOKEN secret instead of a Keycloak token, and nothing close to it", async () => {
    expect((await callEndpoint(prometheus.GET, { token: METRICS_TOKEN })).status).toBe(200);
    expect((await callEndpoint(prometheus.GET, { token: `${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await callEndpoint(prometheus.GET, { token: METRICS_TOKEN.slice(0, -1) })).status).toBe(401);
    expect((await callEndpoint(prometheus.GET)).status).toBe(401);
    expect((await callEndpoint(prometheus.GET, { token: await env.tokenWithout("infrastructure:admin") })).status).toBe(403);
  });

  it("HTTP request histograms move by route template and status with each call", async () => {
    const series = { method: "GET", route: "/api/health", status: "200" };
    const before = sampleValue(await scrape(), "http_request_duration_seconds_count", series) ?? 0;
    for (let i = 0; i < 3; i++) await callEndpoint(health.GET);
    await callEndpoint(databases.GET, { token: await env.tokenWithout("databases:read") });
    const after = await scrape();
    expect(sampleValue(after, "http_request_duration_seconds_count", series)).toBe(before + 3);
    expect(sampleValue(after, "http_request_duration_seconds_count", { method: "GET", route: "/api/databases", status: "403" })).toBe(1);
    // The label is the template, never a raw URL with ids in it.
    expect([...after.get("http_request_duration_seconds")!.samples].every((s) => !/[0-9a-f]{8}-/.test(s.labels.route ?? ""))).toBe(true);
  });

  it("executions and their targets by status are read from the control plane at each scrape", async () => {
    const before = await scrape();
    expect(sampleValue(before, "console_executions", { kind: "migrate", status: "completed" })).toBeUndefined();
    await queryOn(
      env.controlPlane.name,
      `insert into console.executions (scope, status, executed_by, total_targets, completed_targets, failed_targets, skipped_targets)
       values ('tenant', 'completed', 'metrics-test', 50, 50, 0, 0), ('tenant', 'failed', 'metrics-test', 50, 49, 1, 0)`,
    );
    const after = await scrape();
    expect(sampleValue(after, "console_executions", { kind: "migrate", status: "completed" })).toBe(1);
    expect(sampleValue(after, "console_executions", { kind: "migrate", status: "failed" })).toBe(1);
    expect(sampleValue(after, "console_execution_targets", { kind: "migrate", result: "succeeded" })).toBe(99);
    expect(sampleValue(after, "console_execution_targets", { kind: "migrate", result: "failed" })).toBe(1);
  });

  it("per-target and per-execution counters move when the engine reports finished work", async () => {
    const before = await scrape();
    const count = (f: typeof before, name: string, status: string) => sampleValue(f, name, { status }) ?? 0;
    recordTargetFinished("succeeded", 0.2);
    recordTargetFinished("succeeded", 3);
    recordTargetFinished("failed", 0.01);
    recordExecutionFinished("completed", 42);
    const after = await scrape();
    expect(count(after, "console_targets_finished_total", "succeeded") - count(before, "console_targets_finished_total", "succeeded")).toBe(2);
    expect(count(after, "console_targets_finished_total", "failed") - count(before, "console_targets_finished_total", "failed")).toBe(1);
    expect(sampleValue(after, "console_target_migration_duration_seconds_bucket", { status: "succeeded", le: "0.25" })).toBe(1);
    expect(sampleValue(after, "console_target_migration_duration_seconds_bucket", { status: "succeeded", le: "5" })).toBe(2);
    expect(count(after, "console_executions_finished_total", "completed")).toBe(1);
  });

  it("reports the control plane down (console_control_plane_up 0) instead of failing or going stale", async () => {
    await env.close();
    try {
      const families = await scrape(METRICS_TOKEN);
      expect(sampleValue(families, "console_control_plane_up")).toBe(0);
      expect(sampleValue(families, "console_executions", { kind: "migrate", status: "completed" })).toBeUndefined();
    } finally {
      env = undefined as unknown as ApiEnv;
      await closeControlPlane();
    }
  });
});
