import { rmSync } from "node:fs";
import { Logger, quickAddJob, runMigrations } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as basic from "../../app/api/health/route";
import * as detailed from "../../app/api/health/detailed/route";
import * as live from "../../app/api/health/live/route";
import * as metrics from "../../app/api/health/metrics/route";
import * as ready from "../../app/api/health/ready/route";
import * as service from "../../app/api/health/services/[name]/route";
import { closeControlPlane } from "../../server/db/client";
import { detailedHealth, overallStatus } from "../../server/health/detailed-health";
import type { ServiceHealth } from "../../server/health/schemas";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { BROKEN_CATALOG_PROBLEMS, writeBrokenCatalog } from "../support/broken-catalog";
import { freePort } from "../support/global-setup";
import { queryOn } from "../support/database";
import { setEnv } from "../support/test-env";
import { type ApiEnv, setUpApi } from "./api-env";
import { callEndpoint } from "./contract";

/**
 * Health per the original service, measured against real dependencies: the control-plane database
 * (reachable, schema migrated), the development realm's discovery document, the job queue, the
 * fleet. Every answer is checked against its published contract.
 */

let env: ApiEnv;
let admin: string;
const quiet = new Logger(() => () => {});

beforeAll(async () => {
  env = await setUpApi();
  admin = await env.tokenWith("infrastructure:admin");
});

afterAll(async () => {
  await env?.close();
});

const byName = (services: ServiceHealth[], name: string) => services.find((s) => s.name === name)!;

/** A worker process's heartbeat row, as the worker writes it, last seen `agoSeconds` ago. */
const beat = (id: string, agoSeconds: number) =>
  queryOn(
    env.controlPlane.name,
    `insert into console.workers (id, hostname, pid, kind, concurrency, version, last_seen_at)
     values ($1, 'test-host', 1, 'standalone', 1, 'test', now() - make_interval(secs => $2))
     on conflict (id) do update set last_seen_at = excluded.last_seen_at`,
    [id, agoSeconds],
  );

describe("probes", () => {
  it("live answers without touching any dependency, even with no database configured", async () => {
    setEnv({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    try {
      const res = await callEndpoint(live.GET);
      expect(res.status).toBe(200);
      expect(res.json.status).toBe("alive");
    } finally {
      setEnv({ DATABASE_URL: env.controlPlane.url });
    }
  });

  it("ready is 200 on a migrated control plane, without rate-limit headers", async () => {
    const res = await callEndpoint(ready.GET);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ready", checks: { control_plane: true, schema_migrated: true } });
    expect(res.headers.get("ratelimit-limit")).toBeNull();
  });

  it("ready is 503 while a control-plane migration is not applied, and 200 again once it is", async () => {
    const { rows } = await queryOn(env.controlPlane.name, "select id, hash, created_at from console.__drizzle_migrations order by created_at desc limit 1");
    const last = rows[0]!;
    await queryOn(env.controlPlane.name, "delete from console.__drizzle_migrations where id = $1", [last.id]);
    try {
      const res = await callEndpoint(ready.GET);
      expect(res.status).toBe(503);
      expect(res.json.details.checks).toEqual({ control_plane: true, schema_migrated: false });
      expect(res.json.message).toMatch(/1 control-plane migration\(s\) not applied/);
    } finally {
      await queryOn(env.controlPlane.name, "insert into console.__drizzle_migrations (id, hash, created_at) values ($1, $2, $3)", [
        last.id,
        last.hash,
        last.created_at,
      ]);
    }
    expect((await callEndpoint(ready.GET)).status).toBe(200);
  });

  it("ready is 503 within seconds when the control plane is unreachable, and says nothing of where it is", async () => {
    await closeControlPlane();
    setEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/gone` });
    try {
      const started = Date.now();
      const res = await callEndpoint(ready.GET);
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.json.details.checks.control_plane).toBe(false);
      expect(res.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      // The basic health stays a process check: 200 whatever the database does.
      expect((await callEndpoint(basic.GET)).status).toBe(200);
    } finally {
      await closeControlPlane();
      setEnv({ DATABASE_URL: env.controlPlane.url });
    }
  });
});

describe("detailed health", () => {
  it("needs infrastructure:admin", async () => {
    expect((await callEndpoint(detailed.GET, { token: await env.tokenWithout("infrastructure:admin") })).status).toBe(403);
  });

  it("reports each service measured, and healthy overall when nothing is wrong", async () => {
    await beat("worker-a", 0);
    const res = await callEndpoint(detailed.GET, { token: admin });
    expect(res.status).toBe(200);
    const services: ServiceHealth[] = res.json.services;
    expect(services.map((s) => s.name)).toEqual(["control_plane", "keycloak", "worker", "fleet", "catalog"]);
    expect(byName(services, "control_plane")).toMatchObject({ status: "healthy", is_healthy: true });
    expect(byName(services, "control_plane").details.schema).toMatchObject({ pending: 0 });
    expect(byName(services, "keycloak")).toMatchObject({ status: "healthy", details: { issuer: env.realm.issuer } });
    expect(byName(services, "worker")).toMatchObject({ status: "healthy", details: { workers: { live: 1 } } });
    // A fresh control plane: no database is registered, which is not a fault.
    expect(byName(services, "fleet").status).toBe("unknown");
    expect(res.json.overall_status).toBe("healthy");
    expect(byName(services, "catalog")).toMatchObject({ status: "healthy", details: { broken_tiers: [], problems: [] } });
    expect(res.json.summary.total_services).toBe(5);
  });

  it("is degraded when the identity provider cannot be reached, naming it", async () => {
    // Called directly: with the realm moved, the test's own tokens would name another issuer.
    setEnv({ DEV_REALM_PORT: String(await freePort()) });
    try {
      const health = await detailedHealth();
      expect(byName(health.services, "keycloak")).toMatchObject({ status: "unhealthy", is_healthy: false });
      expect(byName(health.services, "keycloak").message).toMatch(/fetch failed|ECONNREFUSED/);
      expect(health.overall_status).toBe("degraded");
    } finally {
      setEnv({ DEV_REALM_PORT: String(env.realm.port) });
    }
  });

  it("is degraded without a live worker: a heartbeat older than WORKER_STALE_AFTER_MS does not count", async () => {
    await queryOn(env.controlPlane.name, "delete from console.workers");
    await beat("worker-gone", 120);
    const res = await callEndpoint(service.GET, { token: admin, params: { name: "worker" } });
    expect(res.json).toMatchObject({ status: "degraded", details: { workers: { live: 0, stale: 1 } } });
    expect(res.json.message).toMatch(/no live worker/);
    expect((await callEndpoint(detailed.GET, { token: admin })).json.overall_status).toBe("degraded");
    await beat("worker-a", 0);
    expect((await callEndpoint(service.GET, { token: admin, params: { name: "worker" } })).json.status).toBe("healthy");
  });

  it("is degraded when jobs wait with nobody taking them, and reports the queue depth", async () => {
    await runMigrations({ connectionString: env.controlPlane.url, logger: quiet });
    await quickAddJob({ connectionString: env.controlPlane.url, logger: quiet }, "health_probe_job", {}, { runAt: new Date(Date.now() - 120_000) });
    await quickAddJob({ connectionString: env.controlPlane.url, logger: quiet }, "health_probe_job", {}, { runAt: new Date(Date.now() + 600_000) });
    try {
      const res = await callEndpoint(service.GET, { token: admin, params: { name: "worker" } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ name: "worker", status: "unhealthy" });
      expect(res.json.details.queue).toMatchObject({ available: true, ready: 1, scheduled: 1, running: 0 });
      expect(res.json.details.queue.oldest_ready_age_seconds).toBeGreaterThan(100);
      expect((await callEndpoint(detailed.GET, { token: admin })).json.overall_status).toBe("degraded");

      const figures = await callEndpoint(metrics.GET, { token: admin });
      expect(figures.json.queue).toMatchObject({ available: true, ready: 1, scheduled: 1 });
    } finally {
      await queryOn(env.controlPlane.name, "delete from graphile_worker._private_jobs");
    }
    const res = await callEndpoint(service.GET, { token: admin, params: { name: "worker" } });
    expect(res.json.status).not.toBe("unhealthy");
  });

  it("is degraded when catalog files do not load, naming each file and line; healthy again once they do", async () => {
    await beat("worker-a", 0);
    const dir = writeBrokenCatalog();
    const before = process.env.MIGRATIONS_DIR ?? "";
    setEnv({ MIGRATIONS_DIR: dir });
    resetCatalogStore();
    try {
      const res = await callEndpoint(detailed.GET, { token: admin });
      expect(res.json.overall_status).toBe("degraded");
      const catalog = byName(res.json.services, "catalog");
      expect(catalog).toMatchObject({ status: "degraded", is_healthy: true, details: { broken_tiers: ["shared", "tenant"] } });
      expect(catalog.message).toContain("shared/0001_currencies.sql:1: cannot read");
      expect((catalog.details.problems as { file: string; line: number }[]).map((p) => [p.file, p.line])).toEqual(
        BROKEN_CATALOG_PROBLEMS.map(([, file, line]) => [file, line]),
      );
    } finally {
      setEnv({ MIGRATIONS_DIR: before });
      resetCatalogStore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(byName((await callEndpoint(detailed.GET, { token: admin })).json.services, "catalog").status).toBe("healthy");
  });

  it("is unhealthy when the control plane is down (nothing works without it)", () => {
    const at = new Date().toISOString();
    const s = (name: ServiceHealth["name"], status: ServiceHealth["status"]): ServiceHealth => ({
      name,
      status,
      is_healthy: status === "healthy" || status === "degraded",
      response_time_ms: 1,
      checked_at: at,
      message: "",
      details: {},
    });
    expect(overallStatus([s("control_plane", "unhealthy"), s("keycloak", "healthy"), s("worker", "healthy"), s("fleet", "healthy")])).toBe("unhealthy");
    expect(overallStatus([s("control_plane", "degraded"), s("keycloak", "healthy"), s("worker", "unknown"), s("fleet", "unknown")])).toBe("degraded");
    expect(overallStatus([s("control_plane", "healthy"), s("keycloak", "healthy"), s("worker", "unknown"), s("fleet", "unhealthy")])).toBe("degraded");
    expect(overallStatus([s("control_plane", "healthy"), s("keycloak", "healthy"), s("worker", "unknown"), s("fleet", "unknown")])).toBe("healthy");
  });
});

describe("one service", () => {
  it("answers for a known name", async () => {
    const res = await callEndpoint(service.GET, { token: admin, params: { name: "control_plane" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: "control_plane", status: "healthy" });
  });

  it("is 404 for an unknown name, listing the known ones", async () => {
    const res = await callEndpoint(service.GET, { token: admin, params: { name: "redis" } });
    expect(res.status).toBe(404);
    expect(res.json.details.known).toEqual(["control_plane", "keycloak", "worker", "fleet", "catalog"]);
  });
});

describe("system metrics as JSON", () => {
  it("reports process memory and CPU, pools and executions by status", async () => {
    const res = await callEndpoint(metrics.GET, { token: admin });
    expect(res.status).toBe(200);
    expect(res.json.process.memory.rss_bytes).toBeGreaterThan(10_000_000);
    expect(res.json.process.cpu.user_seconds).toBeGreaterThan(0);
    expect(res.json.control_plane_pool.max).toBe(20);
    expect(res.json.executions.by_status).toEqual({ pending: 0, in_progress: 0, halted: 0, completed: 0, failed: 0, rolled_back: 0, cancelled: 0 });
  });

  it("counts executions by status from the control plane", async () => {
    await queryOn(
      env.controlPlane.name,
      `insert into console.executions (scope, status, executed_by, total_targets, completed_targets, failed_targets)
       values ('all', 'completed', 'health-test', 3, 3, 0), ('all', 'failed', 'health-test', 2, 1, 1)`,
    );
    try {
      const res = await callEndpoint(metrics.GET, { token: admin });
      expect(res.json.executions.by_status).toMatchObject({ completed: 1, failed: 1, pending: 0 });
    } finally {
      await queryOn(env.controlPlane.name, "delete from console.executions where executed_by = 'health-test'");
    }
  });
});
