/**
 * What the dashboard's browser tests need besides the browser: a session on a demo fleet database
 * (to plant a conflicting table or hold a target's lock) and a few API calls made with the signed-in
 * page's cookies, exactly as the console's own pages make them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import type { ExecutionDetail } from "../components/api/execution-types";
import type { Plan } from "../components/api/get-plan";
import type { ScopeRequest } from "../components/api/scope-request";
import { E2E, E2E_DB_PREFIX } from "./support/ports";

/** The demo fleet's databases in the browser tests' console (DEMO_FLEET_PREFIX=E2E_DB_PREFIX). */
export const FLEET = {
  sharedEu: `${E2E_DB_PREFIX}_shared_eu_west_1`,
  sharedUs: `${E2E_DB_PREFIX}_shared_us_east_1`,
} as const;

/**
 * A session on one of the fleet's databases: on TEST_DATABASE_URL's server when the console runs
 * there, otherwise on the embedded PostgreSQL the test console started (found by its port, with
 * the password from that console's data folder).
 */
export async function fleetSession(database: string): Promise<pg.Client> {
  const client = new pg.Client(fleetUrl(database));
  await client.connect();
  return client;
}

/**
 * Holds a target's first pending migration back until the test releases it, whatever the clock
 * says: in a transaction of the test's, the table that migration creates is created first and left
 * uncommitted, so the migration's CREATE TABLE waits on the test's transaction. That wait is bounded
 * only by the migration's lock_timeout (MIGRATION_TIMEOUT, 300 s by default: longer than any test),
 * never by the engine's 30 s wait for a busy target and its retries. Plans and other targets are
 * not held. Releasing rolls the transaction back, leaving the target as it was; safe to call twice.
 */
export async function holdMigration(target: { database_name: string; schema_name: string }, createdTable: string): Promise<() => Promise<void>> {
  const session = await fleetSession(target.database_name);
  const schema = `"${target.schema_name.replaceAll('"', '""')}"`;
  await session.query("begin");
  await session.query(`create schema if not exists ${schema}`);
  await session.query(`create table ${schema}."${createdTable.replaceAll('"', '""')}" (held_by_test int)`);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await session.query("rollback").catch(() => {});
    await session.end();
  };
}

/**
 * A database of the test's own on the fleet's server, registered with the console (as `tier`, in
 * `region`) by the signed-in page, and the way to remove both afterwards with a signed-in page's
 * request (registration first, so the console never keeps a database that no longer exists).
 */
export async function createFleetDatabase(
  request: APIRequestContext,
  spec: { name: string; tier: "shared" | "analytics"; region: string },
): Promise<{ id: string; database: string; remove: (request: APIRequestContext) => Promise<void> }> {
  const database = `${E2E_DB_PREFIX}_${spec.name.replaceAll("-", "_")}`;
  const admin = await fleetSession("postgres");
  try {
    await admin.query(`drop database if exists "${database}" with (force)`);
    await admin.query(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(fleetUrl(database));
  const response = await request.post("/api/databases", {
    data: {
      name: spec.name,
      connection_type: spec.tier,
      region: spec.region,
      host: url.hostname,
      port: Number(url.port || 5432),
      database_name: database,
      username: decodeURIComponent(url.username),
      password: url.password ? decodeURIComponent(url.password) : null,
      ssl_mode: "disable",
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return {
    id,
    database,
    remove: async (request: APIRequestContext) => {
      const deleted = await request.delete(`/api/databases/${id}`);
      expect([204, 404], await deleted.text()).toContain(deleted.status());
      const session = await fleetSession("postgres");
      try {
        await session.query(`drop database if exists "${database}" with (force)`);
      } finally {
        await session.end();
      }
    },
  };
}

/** The table a catalog migration creates first (its first CREATE TABLE), for holdMigration. */
export async function tableCreatedBy(request: APIRequestContext, migrationId: string): Promise<string> {
  const response = await request.get("/api/migrations/catalog");
  expect(response.status()).toBe(200);
  const catalog = (await response.json()) as { migrations: Array<{ id: string; up: { statements: Array<{ sql: string; kind: string }> } }> };
  const statement = catalog.migrations.find((m) => m.id === migrationId)?.up.statements.find((st) => st.kind === "CreateStmt");
  const table = statement && /create\s+table\s+(?:if\s+not\s+exists\s+)?"?(\w+)"?/i.exec(statement.sql)?.[1];
  if (!table) throw new Error(`${migrationId} creates no table the test could hold back`);
  return table;
}

function fleetUrl(database: string): string {
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const url = new URL(server);
    url.pathname = `/${database}`;
    return url.toString();
  }
  for (const entry of readdirSync(os.tmpdir())) {
    if (!entry.startsWith(`console-e2e-${E2E.port}-`)) continue;
    const dir = path.join(os.tmpdir(), entry);
    const pid = path.join(dir, "postgres", "postmaster.pid");
    if (!existsSync(pid) || readFileSync(pid, "utf8").split("\n")[3]?.trim() !== String(E2E.embeddedPgPort)) continue;
    const { embeddedPgPassword } = JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8")) as { embeddedPgPassword: string };
    return `postgres://postgres:${encodeURIComponent(embeddedPgPassword)}@127.0.0.1:${E2E.embeddedPgPort}/${database}`;
  }
  throw new Error(`no embedded PostgreSQL of the test console on port ${E2E.embeddedPgPort}`);
}

export async function planOf(request: APIRequestContext, scope: ScopeRequest & { limit?: number }): Promise<Plan> {
  const query = new URLSearchParams(Object.entries(scope).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]));
  const response = await request.get(`/api/migrations/dynamic/plan?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as Plan;
}

export async function statusOf(request: APIRequestContext, id: string): Promise<ExecutionDetail> {
  const response = await request.get(`/api/migrations/status/${id}?target_limit=1000`);
  expect(response.status()).toBe(200);
  return (await response.json()) as ExecutionDetail;
}

export async function startExecution(request: APIRequestContext, body: ScopeRequest & { dry_run: boolean; plan_fingerprint?: string }) {
  const response = await request.post("/api/migrations/execute", { data: body });
  expect(response.status(), await response.text()).toBe(202);
  return (await response.json()) as ExecutionDetail;
}

/** Waits (by asking the API, which is fine for a test) until the execution has ended. */
export async function waitUntilEnded(request: APIRequestContext, id: string, timeoutMs = 90_000): Promise<ExecutionDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await statusOf(request, id);
    if (["completed", "failed", "cancelled", "rolled_back"].includes(detail.status)) return detail;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${detail.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The admin database's migrations are what tenant files require (tenant/0006 needs admin/0001):
 * apply them once so regional plans are not blocked. Idempotent across specs.
 */
export async function ensureAdminApplied(request: APIRequestContext) {
  const plan = await planOf(request, { scope: "admin" });
  if (plan.totals.pending_migrations === 0) return;
  const execution = await startExecution(request, { scope: "admin", dry_run: false, plan_fingerprint: plan.fingerprint });
  expect((await waitUntilEnded(request, execution.id)).status).toBe("completed");
}

/**
 * A region's shared database carries what the tenant tier requires (tenant/0003 needs
 * shared/0001): apply its own migrations (scope single, that database only) so a new tenant of the
 * region is not blocked. Idempotent across specs.
 */
export async function ensureSharedApplied(request: APIRequestContext, region: string) {
  const response = await request.get(`/api/databases?connection_type=shared&region=${encodeURIComponent(region)}`);
  expect(response.status(), await response.text()).toBe(200);
  const [shared] = ((await response.json()) as { items: Array<{ id: string }> }).items;
  expect(shared, `a shared database in ${region}`).toBeTruthy();
  const scope = { scope: "single" as const, database_id: shared!.id };
  const plan = await planOf(request, scope);
  if (plan.totals.pending_migrations === 0) return;
  const execution = await startExecution(request, { ...scope, dry_run: false, plan_fingerprint: plan.fingerprint });
  expect((await waitUntilEnded(request, execution.id)).status).toBe("completed");
}
