import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSettings } from "../../server/config/settings";
import { getPool } from "../../server/db/client";
import { startHealthRefresher } from "../../server/databases/health-refresher";
import { fleetHealthSummary, getConnectionHealth, refreshFleetHealth } from "../../server/databases/health-service";
import { createConnection } from "../../server/databases/service";
import { ZConnectionCreate } from "../../server/databases/schemas";
import type { BackgroundService } from "../../server/lifecycle/background-service";
import { freePort } from "../support/global-setup";
import { adminQuery, createTestDatabase, queryOn, type TestDatabase } from "../support/database";
import { type ControlPlaneEnv, setUpControlPlane, waitFor } from "../support/test-env";

/**
 * Acceptance 3: health follows reality. A registered database that becomes unreachable is reported
 * unhealthy, with PostgreSQL's error, within one refresh interval of the background refresher, and
 * healthy again once it is back. Plus: the fleet summary, rounds coordinated across instances, and
 * history pruning.
 */

const INTERVAL_SECONDS = 2;
let env: ControlPlaneEnv;
let fleetDb: TestDatabase;
let refresher: BackgroundService | null = null;
let watchedId: string;
let deadPortId: string;

/** Each registration migrates a schema of its own on the suite's database (named after it). */
const register = (overrides: Record<string, unknown> & { name: string }) =>
  createConnection(
    ZConnectionCreate.parse({
      host: env.server.host,
      port: env.server.port,
      database_name: fleetDb.name,
      username: env.server.username,
      password: env.server.password,
      connection_type: "analytics",
      schema_name: overrides.name.replace(/-/g, "_"),
      ...overrides,
    }),
    "health-test",
  );

beforeAll(async () => {
  env = await setUpControlPlane({ HEALTH_CHECK_INTERVAL: String(INTERVAL_SECONDS) });
  fleetDb = await createTestDatabase("reg_health");
  watchedId = (await register({ name: "watched", skip_test: true })).id;
});

afterAll(async () => {
  await refresher?.stop();
  await env?.close();
  // The database may be under its temporary name if a test failed half-way.
  await adminQuery(`drop database if exists "${fleetDb.name}_gone" with (force)`).catch(() => {});
  await fleetDb?.drop();
});

const health = () => getConnectionHealth(watchedId, 20);

describe("background health refresh", () => {
  it("probes a registered database it has never seen and reports it healthy", async () => {
    refresher = await startHealthRefresher(getSettings(), { firstRoundAfterMs: 0 });
    expect(refresher).not.toBeNull();
    const h = await waitFor("first probe", async () => ((await health()).is_healthy === true ? health() : undefined), 5_000);
    expect(h.status).toBe("healthy");
    expect(h.server_version).toMatch(/^\d+/);
    expect(h.response_time_ms).toBeGreaterThanOrEqual(0);
  });

  it("turns unhealthy with PostgreSQL's error within one interval of the database going away", async ({ annotate }) => {
    // Renaming needs the database free of sessions, the refresher's pooled one included.
    await adminQuery("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [fleetDb.name]);
    await adminQuery(`alter database "${fleetDb.name}" rename to "${fleetDb.name}_gone"`);
    const brokenAt = Date.now();
    const h = await waitFor(
      "unhealthy",
      async () => {
        const current = await health();
        return current.is_healthy === false ? current : undefined;
      },
      INTERVAL_SECONDS * 1000 + 3_000,
    );
    const detectedAfter = Date.now() - brokenAt;
    await annotate(`unreachable database detected after ${detectedAfter} ms (interval ${INTERVAL_SECONDS * 1000} ms)`);
    expect(detectedAfter).toBeLessThanOrEqual(INTERVAL_SECONDS * 1000 + 1_000);
    expect(h.status).toBe("unhealthy");
    expect(h.health_error).toMatch(/^3D000: database ".*" does not exist/);
    expect(h.history[0]).toMatchObject({ is_healthy: false });
    expect(h.history.some((c) => c.is_healthy)).toBe(true);
  });

  it("turns healthy again within one interval of the database coming back", async ({ annotate }) => {
    await adminQuery(`alter database "${fleetDb.name}_gone" rename to "${fleetDb.name}"`);
    const backAt = Date.now();
    const h = await waitFor(
      "healthy again",
      async () => {
        const current = await health();
        return current.is_healthy === true ? current : undefined;
      },
      INTERVAL_SECONDS * 1000 + 3_000,
    );
    const detectedAfter = Date.now() - backAt;
    await annotate(`recovered database detected after ${detectedAfter} ms`);
    expect(detectedAfter).toBeLessThanOrEqual(INTERVAL_SECONDS * 1000 + 1_000);
    expect(h.health_error).toBeNull();
  });

  it("reports a server that refuses connections with the socket error", async () => {
    deadPortId = (await register({ name: "dead-port", port: await freePort(), skip_test: true })).id;
    const h = await waitFor(
      "dead port probed",
      async () => {
        const current = await getConnectionHealth(deadPortId, 5);
        return current.is_healthy === false ? current : undefined;
      },
      INTERVAL_SECONDS * 1000 + 3_000,
    );
    expect(h.health_error).toMatch(/^ECONNREFUSED: /);
  });

  it("sums the fleet by tier for the detailed health endpoint", async () => {
    await register({ name: "admin", connection_type: "admin", skip_test: false });
    await register({ name: "paused", is_active: false, skip_test: true });
    const summary = await fleetHealthSummary();
    // The inactive connection is not part of the fleet's health.
    expect(summary).toMatchObject({ total: 3, healthy: 2, unhealthy: 1, unknown: 0, status: "degraded" });
    expect(summary.by_tier.analytics).toEqual({ total: 2, healthy: 1, unhealthy: 1, unknown: 0 });
    expect(summary.by_tier.admin).toEqual({ total: 1, healthy: 1, unhealthy: 0, unknown: 0 });
    expect(summary.interval_seconds).toBe(INTERVAL_SECONDS);
  });
});

describe("health rounds across console instances", () => {
  it("skips a round while another instance runs one (advisory lock)", async () => {
    await refresher?.stop();
    refresher = null;
    const other = await getPool().connect();
    try {
      await other.query("select pg_advisory_lock(7310442101)");
      expect(await refreshFleetHealth({ force: true })).toMatchObject({ ran: false, probed: 0 });
      await other.query("select pg_advisory_unlock(7310442101)");
      const round = await refreshFleetHealth({ force: true });
      expect(round).toMatchObject({ ran: true, probed: 3, healthy: 2, unhealthy: 1 });
    } finally {
      other.release();
    }
  });

  it("does not probe again what was probed less than half an interval ago", async () => {
    const round = await refreshFleetHealth();
    expect(round).toMatchObject({ ran: true, probed: 0 });
  });

  it("prunes history older than HEALTH_HISTORY_DAYS when it records a probe", async () => {
    await queryOn(
      env.controlPlane.name,
      `insert into console.connection_health_checks (connection_id, checked_at, is_healthy)
       values ($1, now() - interval '8 days', true), ($1, now() - interval '6 days', true)`,
      [watchedId],
    );
    await refreshFleetHealth({ force: true });
    const { rows } = await queryOn(
      env.controlPlane.name,
      "select count(*) filter (where checked_at < now() - interval '7 days')::int as old, count(*) filter (where checked_at < now() - interval '5 days')::int as kept from console.connection_health_checks where connection_id = $1",
      [watchedId],
    );
    expect(rows[0]).toEqual({ old: 0, kept: 1 });
  });
});
