import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetSettingsCache } from "../../server/config/settings";
import { createControlPlane } from "../../server/db/client";
import { pruneControlPlane } from "../../server/retention/prune";
import { createControlPlaneDatabase, type TestDatabase } from "../support/database";

let cp: TestDatabase;
let plane: ReturnType<typeof createControlPlane>;

beforeAll(async () => {
  cp = await createControlPlaneDatabase("retention");
  process.env.DATABASE_URL = cp.url;
  process.env.ENVIRONMENT = "testing";
  resetSettingsCache();
  plane = createControlPlane(cp.url, { min: 0, max: 4 });
});
afterAll(async () => {
  await plane.pool.end();
  await cp.drop();
});

async function execution(completedDaysAgo: number | null, events: number): Promise<string> {
  const { rows } = await plane.pool.query<{ id: string }>(
    `insert into console.executions (scope, status, executed_by, created_at, completed_at)
     values ('all', $1, 'operator', now() - interval '60 days', case when $2::int is null then null else now() - make_interval(days => $2::int) end)
     returning id`,
    [completedDaysAgo === null ? "in_progress" : "completed", completedDaysAgo],
  );
  const id = rows[0]!.id;
  for (let i = 0; i < events; i++) {
    await plane.pool.query("insert into console.execution_events (execution_id, type, payload) values ($1, 'target_finished', '{}')", [id]);
  }
  return id;
}

const eventsOf = async (id: string) =>
  (await plane.pool.query<{ n: number }>("select count(*)::int as n from console.execution_events where execution_id = $1", [id])).rows[0]!.n;

describe("retention", () => {
  it("drops the event streams of executions that ended before the retention window, and keeps the executions", async () => {
    const old = await execution(40, 3);
    const recent = await execution(1, 2);
    const running = await execution(null, 2);

    const result = await pruneControlPlane(plane.pool, { eventsDays: 30 });
    expect(result).toEqual({ ran: true, executionEvents: 3, auditRows: 0, webhookDeliveries: 0, storedHistories: 0 });
    expect([await eventsOf(old), await eventsOf(recent), await eventsOf(running)]).toEqual([0, 2, 2]);
    const kept = await plane.pool.query("select count(*)::int as n from console.executions");
    expect(kept.rows[0].n).toBe(3);

    expect(await pruneControlPlane(plane.pool, { eventsDays: 0 })).toEqual({ ran: true, executionEvents: 0, auditRows: 0, webhookDeliveries: 0, storedHistories: 0 });
    expect(await eventsOf(recent)).toBe(2);
  });

  it("lets one instance prune at a time: another finds the lock taken and does nothing", async () => {
    await execution(90, 1);
    const other = new pg.Client({ connectionString: cp.url });
    await other.connect();
    try {
      await other.query("select pg_advisory_lock(7310442017)");
      expect(await pruneControlPlane(plane.pool, { eventsDays: 30 })).toEqual({ ran: false, executionEvents: 0, auditRows: 0, webhookDeliveries: 0, storedHistories: 0 });
    } finally {
      await other.end();
    }
    expect((await pruneControlPlane(plane.pool, { eventsDays: 30 })).executionEvents).toBe(1);
  });

  it("keeps the audit trail unless AUDIT_RETENTION_DAYS is set, then drops only rows older than the window", async () => {
    const audit = (daysAgo: number, action: string) =>
      plane.pool.query(
        `insert into console.audit_log (at, actor_id, actor_type, action, outcome) values (now() - make_interval(days => $1), 'u1', 'user', $2, 'success')`,
        [daysAgo, action],
      );
    await audit(400, "old");
    await audit(100, "middle");
    await audit(1, "recent");
    const actions = async () =>
      (await plane.pool.query<{ action: string }>("select action from console.audit_log order by at")).rows.map((r) => r.action);

    expect((await pruneControlPlane(plane.pool, { eventsDays: 30 })).auditRows).toBe(0);
    expect(await actions()).toEqual(["old", "middle", "recent"]);

    expect((await pruneControlPlane(plane.pool, { eventsDays: 30, auditDays: 365 })).auditRows).toBe(1);
    expect(await actions()).toEqual(["middle", "recent"]);
  });

  it("drops stored histories of schemas no longer registered; a tenant's and a connection's own stay", async () => {
    const { rows: conn } = await plane.pool.query<{ id: string }>(
      `insert into console.connections (name, host, port, database_name, username, connection_type, region, created_by)
       values ('fleet-eu', '127.0.0.1', 5432, 'fleet_eu', 'postgres', 'shared', 'eu', 'admin') returning id`,
    );
    const id = conn[0]!.id;
    await plane.pool.query(
      `insert into console.tenants (slug, name, region, connection_id, schema_name, created_by) values ('kept', 'Kept', 'eu', $1, 'tenant_kept', 'admin')`,
      [id],
    );
    for (const schema of ["public", "tenant_kept", "tenant_gone", "tenant_moved_away"]) {
      await plane.pool.query(
        `insert into console.remembered_histories (connection_id, schema_name, database_key, log_id, table_oid, changes, history)
         values ($1, $2, 'k', '1:2', 42, '1', '[]')`,
        [id, schema],
      );
    }
    const left = async () =>
      (await plane.pool.query<{ schema_name: string }>("select schema_name from console.remembered_histories order by 1")).rows.map((r) => r.schema_name);

    expect((await pruneControlPlane(plane.pool, { eventsDays: 0 })).storedHistories).toBe(2);
    expect(await left()).toEqual(["public", "tenant_kept"]);
    // A tenant moved to another schema: the old one's rows go, the new one has none yet.
    await plane.pool.query("update console.tenants set schema_name = 'tenant_kept_2' where slug = 'kept'");
    expect((await pruneControlPlane(plane.pool, { eventsDays: 0 })).storedHistories).toBe(1);
    expect(await left()).toEqual(["public"]);
  });

  it("drops the log of webhook deliveries that ended before the window; pending ones and the endpoint stay", async () => {
    const { rows } = await plane.pool.query<{ id: string }>(
      `insert into console.webhook_endpoints (name, url, secret_encrypted, secret_key_id, events, created_by)
       values ('ops', 'https://hooks.example/ops', 'sealed', 'k1', '{}', 'admin') returning id`,
    );
    const delivery = (status: string, daysAgo: number) =>
      plane.pool.query(
        `insert into console.webhook_deliveries (endpoint_id, event_id, event_type, body, status, max_attempts, created_at)
         values ($1, gen_random_uuid(), 'execution.completed', '{}', $2, 5, now() - make_interval(days => $3))`,
        [rows[0]!.id, status, daysAgo],
      );
    await delivery("succeeded", 40);
    await delivery("failed", 40);
    await delivery("retrying", 40);
    await delivery("succeeded", 2);
    const left = async () =>
      (await plane.pool.query<{ status: string }>("select status from console.webhook_deliveries order by created_at, status")).rows.map((r) => r.status);

    expect((await pruneControlPlane(plane.pool, { eventsDays: 0 })).webhookDeliveries).toBe(0);
    expect((await pruneControlPlane(plane.pool, { eventsDays: 30 })).webhookDeliveries).toBe(2);
    expect(await left()).toEqual(["retrying", "succeeded"]);
    const endpoints = await plane.pool.query("select count(*)::int as n from console.webhook_endpoints");
    expect(endpoints.rows[0].n).toBe(1);
  });
});
