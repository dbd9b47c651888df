import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as retryRoute from "../../app/api/migrations/[id]/retry/route";
import * as planRoute from "../../app/api/migrations/rollback/plan/route";
import * as rollbackRoute from "../../app/api/migrations/rollback/route";
import * as tenantRollbackRoute from "../../app/api/tenants/[id]/rollback/route";
import { snapshotSchemas } from "../engine/engine-fixture";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import type { FleetTenant } from "./fleet-env";

/**
 * A tenant-tier catalog small enough to reason about, and the calls and looks the rollback suites
 * share. `0003_notes` creates a table, so a tenant schema that already has one makes it fail with
 * a real SQL error (42P07) while the other tenants apply it: a failed execution the test controls.
 */

export const CATALOG: Record<string, string> = {
  "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY, name text);\n-- migrate:down\nDROP TABLE accounts;\n",
  "tenant/0002_contacts.sql":
    "-- migrate:up\nCREATE TABLE contacts (id int PRIMARY KEY, account_id int REFERENCES accounts (id));\n-- migrate:down\nDROP TABLE contacts;\n",
  "tenant/0003_notes.sql": "-- migrate:up\nCREATE TABLE notes (id int, body text);\nCREATE INDEX notes_id_idx ON notes (id);\n-- migrate:down\nDROP TABLE notes;\n",
};

export function writeCatalog(files: Record<string, string> = CATALOG): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rollback-any-"));
  mkdirSync(path.join(dir, "tenant"), { recursive: true });
  for (const [file, sql] of Object.entries(files)) writeFileSync(path.join(dir, file), sql);
  return dir;
}

export const rollback = (token: string, body: Record<string, unknown>) => call(rollbackRoute.POST, "POST", "/api/migrations/rollback", { token, body });

export const retry = (token: string, id: string) => call(retryRoute.POST, "POST", `/api/migrations/${id}/retry`, { token, params: { id } });

export const rollbackPlan = (token: string, query: Record<string, string>) =>
  call(planRoute.GET, "GET", "/api/migrations/rollback/plan", { token, query });

export const rollbackTenant = (token: string, tenantId: string, body: Record<string, unknown>) =>
  call(tenantRollbackRoute.POST, "POST", `/api/tenants/${tenantId}/rollback`, { token, params: { id: tenantId }, body });

/** A tenant's history table as [version, execution id, state] rows; [] when the table does not exist. */
export async function history(url: string, t: FleetTenant): Promise<Array<[string, string | null, string]>> {
  const { rows } = await onDatabase<{ version: string; execution_id: string | null; state: string }>(
    url,
    `select h.version, h.execution_id, h.state from "${t.schema}"._schema_migrations h order by h.version`,
  ).catch((error: { code?: string }) => {
    if (error.code === "42P01") return { rows: [] };
    throw error;
  });
  return rows.map((r) => [r.version, r.execution_id, r.state]);
}

export const versions = async (url: string, t: FleetTenant) => (await history(url, t)).map(([v]) => v);

/** The tenant's tables (what the migrations create), without the engine's history table. */
export async function tables(url: string, t: FleetTenant): Promise<string[]> {
  const { rows } = await onDatabase<{ name: string }>(
    url,
    "select table_name as name from information_schema.tables where table_schema = $1 and table_name <> '_schema_migrations' order by 1",
    [t.schema],
  );
  return rows.map((r) => r.name);
}

/**
 * Everything about the tenants' schemas PostgreSQL keeps (relations with their storage files,
 * columns, indexes, constraints, functions, row counts), history table included: a rehearsal must
 * leave all of it as it was.
 */
export async function schemaSnapshot(url: string, ts: FleetTenant[]) {
  return snapshotSchemas(url, ts.map((t) => t.schema));
}

/** How many executions the control plane records: a refused request records none. */
export async function executionCount(controlPlaneUrl: string): Promise<number> {
  const { rows } = await onDatabase<{ n: number }>(controlPlaneUrl, "select count(*)::int as n from console.executions");
  return rows[0]!.n;
}
