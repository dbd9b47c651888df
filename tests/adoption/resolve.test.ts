import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/api/audit/route";
import * as planRoute from "../../app/api/migrations/dynamic/plan/route";
import * as acceptRoute from "../../app/api/migrations/drift/accept/route";
import * as interruptedRoute from "../../app/api/migrations/interrupted/resolve/route";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { executeOrThrow, waitForEnd } from "../executions/exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";

/**
 * Issue 13, item 2: drift and interrupted migrations no longer block forever. Accepting drift (per
 * target, or for every target of a plan that shows it) and resolving an interrupted run unblock the
 * next plan; the audit keeps the reason, who, and the checksum the target had recorded.
 */

let env: ExecutionEnv;
let dir: string;
let sharedUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "resolve-catalog-"));
  cpSync(EXAMPLES_DIR, dir, { recursive: true });
  rmSync(path.join(dir, "analytics"), { recursive: true });
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 3, catalogDir: dir, prefix: "resolve" });
  sharedUrl = env.fleet.shared.eu!.db.url;
  const done = await waitForEnd(env.tokens.operator, await executeOrThrow(env.tokens.operator, { scope: "all" }));
  expect(done.status).toBe("completed");
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(dir, { recursive: true, force: true });
});

const tenants = () => env.fleet.tenants;
const plan = async (query: Record<string, string> = { scope: "tenant" }) => {
  const res = await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token: env.tokens.viewer, query });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const accept = (body: unknown, token = env.tokens.operator) => call(acceptRoute.POST, "POST", "/api/migrations/drift/accept", { token, body });
const resolve = (body: unknown, token = env.tokens.operator) =>
  call(interruptedRoute.POST, "POST", "/api/migrations/interrupted/resolve", { token, body });
const checksumOf = async (schema: string, version: string) =>
  (await onDatabase<{ checksum: string; state: string }>(sharedUrl, `select checksum, state from "${schema}"._schema_migrations where version = $1`, [version]))
    .rows[0];
const auditOf = async (action: string) =>
  (await call(auditRoute.GET, "GET", "/api/audit", { token: env.tokens.admin, query: { action } })).json.entries as {
    outcome: string;
    actor_name: string;
    error_code: string | null;
    details: Record<string, unknown>;
  }[];

describe("accepting drift", () => {
  let oldChecksum: string;
  let newChecksum: string;

  beforeAll(async () => {
    oldChecksum = (await checksumOf(tenants()[0]!.schema, "0002"))!.checksum;
    appendFileSync(path.join(dir, "tenant/0002_contacts.sql"), "-- Contacts are looked up by account first.\n");
    resetCatalogStore();
    const p = await plan();
    newChecksum = p.targets[0].drift[0].file_checksum;
    expect(p.totals).toMatchObject({ drift: 3, blocked: 3 });
  });

  it("refuses bad input with 422 naming the field, a viewer or executor with 403, and changes nothing", async () => {
    const a = tenants()[0]!;
    const single = { scope: "single", database_id: a.connectionId, tenant_id: a.id };
    const cases: [unknown, string][] = [
      [{ ...single, migration_ids: ["tenant/0002_contacts"] }, "reason"],
      [{ ...single, migration_ids: ["tenant/0002_contacts"], reason: "ok" }, "reason"],
      [{ ...single, migration_ids: [], reason: "comment only" }, "migration_ids"],
      [{ ...single, migration_ids: ["tenant/0099_gone"], reason: "comment only" }, "migration_ids.0"],
      [{ ...single, migration_ids: ["contacts"], reason: "comment only" }, "migration_ids.0"],
      [{ ...single, migration_ids: ["tenant/0002_contacts"], reason: "comment only", checksum: "x" }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await accept(body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(422);
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const body = { ...single, migration_ids: ["tenant/0002_contacts"], reason: "comment only" };
    expect((await accept(body, env.tokens.viewer)).status).toBe(403);
    expect((await accept(body, env.tokens.ciOperator)).json.details.required_permission).toBe("migrations:manage");
    expect((await checksumOf(a.schema, "0002"))!.checksum).toBe(oldChecksum);
  });

  it("per target: the history takes the file's checksum, only that target is unblocked", async () => {
    const a = tenants()[0]!;
    const res = await accept({ scope: "single", database_id: a.connectionId, tenant_id: a.id, migration_ids: ["tenant/0002_contacts"], reason: "a comment was added to the file" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.targets).toEqual([
      expect.objectContaining({
        schema_name: a.schema,
        status: "resolved",
        changes: [{ id: "tenant/0002_contacts", version: "0002", state_before: "applied", checksum_before: oldChecksum, checksum_after: newChecksum }],
      }),
    ]);
    expect((await checksumOf(a.schema, "0002"))!.checksum).toBe(newChecksum);
    const p = await plan();
    expect(p.targets.map((t: { tenant_id: string; status: string }) => [t.tenant_id, t.status])).toEqual([
      [a.id, "up_to_date"],
      [tenants()[1]!.id, "blocked"],
      [tenants()[2]!.id, "blocked"],
    ]);
  });

  it("for every target of a plan that shows it; then the next plan is clear, and asking again is a 409", async () => {
    const res = await accept({ scope: "tenant", migration_ids: ["tenant/0002_contacts"], reason: "a comment was added to the file" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.totals).toEqual({ targets: 2, resolved: 2, changes: 2, failed: 0 });
    expect((await plan()).totals).toMatchObject({ drift: 0, blocked: 0, up_to_date: 3 });
    const again = await accept({ scope: "tenant", migration_ids: ["tenant/0002_contacts"], reason: "a comment was added to the file" });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain("no target of the scope shows drift on tenant/0002_contacts");
  });

  it("the audit keeps who, why, and each target's old and new checksum", async () => {
    const entries = (await auditOf("migrations.accept_drift")).filter((e) => e.outcome === "success");
    expect(entries).toHaveLength(2);
    const perTarget = entries[1]!;
    expect(perTarget).toMatchObject({ actor_name: "operator", details: { reason: "a comment was added to the file", action: "accept_drift" } });
    expect(perTarget.details.changes).toEqual([
      expect.objectContaining({ target: `shared-eu/${tenants()[0]!.schema}`, checksum_before: oldChecksum, checksum_after: newChecksum }),
    ]);
    // Refused requests are audited too, with the reason given.
    expect((await auditOf("migrations.accept_drift")).some((e) => e.error_code === "conflict")).toBe(true);
  });
});

describe("resolving an interrupted transaction: false migration", () => {
  beforeAll(async () => {
    // Two tenants whose CREATE INDEX CONCURRENTLY never reported back (a worker killed mid-build).
    for (const t of [tenants()[1]!, tenants()[2]!]) {
      await onDatabase(sharedUrl, `update "${t.schema}"._schema_migrations set state = 'started' where version = '0005'`);
    }
    const p = await plan();
    expect(p.totals).toMatchObject({ interrupted: 2, blocked: 2 });
  });

  it("refuses a missing or unknown resolution with 422 naming it", async () => {
    const t = tenants()[1]!;
    const body = { scope: "single", database_id: t.connectionId, tenant_id: t.id, migration_ids: ["tenant/0005_invoices_due_date_index"], reason: "checked the index" };
    expect((await resolve(body)).json.details.fields.map((f: { field: string }) => f.field)).toContain("resolution");
    expect((await resolve({ ...body, resolution: "ignore" })).json.details.fields.map((f: { field: string }) => f.field)).toContain("resolution");
    expect((await checksumOf(t.schema, "0005"))!.state).toBe("started");
  });

  it("mark_applied on one target, retry on another: both are unblocked, and the retried one runs the file again", async () => {
    const [, b, c] = tenants();
    const marked = await resolve({
      scope: "single",
      database_id: b!.connectionId,
      tenant_id: b!.id,
      migration_ids: ["tenant/0005_invoices_due_date_index"],
      resolution: "mark_applied",
      reason: "the index is there and valid (checked pg_index.indisvalid)",
    });
    expect(marked.status, marked.text).toBe(200);
    expect(marked.json.targets[0].changes[0]).toMatchObject({ state_before: "started", checksum_after: expect.any(String) });
    expect((await checksumOf(b!.schema, "0005"))!.state).toBe("applied");

    await onDatabase(sharedUrl, `drop index "${c!.schema}".invoices_open_due_date_idx`);
    const retried = await resolve({ scope: "tenant", migration_ids: ["tenant/0005_invoices_due_date_index"], resolution: "retry", reason: "the build was cut short: run it again" });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.json.targets.map((t: { schema_name: string; changes: { checksum_after: string | null }[] }) => [t.schema_name, t.changes[0]!.checksum_after])).toEqual([
      [c!.schema, null],
    ]);
    expect(await checksumOf(c!.schema, "0005")).toBeUndefined();

    const p = await plan();
    expect(p.totals).toMatchObject({ interrupted: 0, blocked: 0 });
    expect(p.targets.find((t: { tenant_id: string }) => t.tenant_id === c!.id).pending).toEqual(["tenant/0005_invoices_due_date_index"]);
    const done = await waitForEnd(env.tokens.operator, await executeOrThrow(env.tokens.operator, { scope: "tenant", plan_fingerprint: p.fingerprint }));
    expect(done.status).toBe("completed");
    const index = await onDatabase(sharedUrl, "select 1 from pg_indexes where schemaname = $1 and indexname = 'invoices_open_due_date_idx'", [c!.schema]);
    expect(index.rowCount).toBe(1);
  });

  it("the audit keeps the resolution and the reason", async () => {
    const entries = (await auditOf("migrations.resolve_interrupted")).filter((e) => e.outcome === "success");
    expect(entries.map((e) => [e.details.action, e.details.reason])).toEqual([
      ["retry", "the build was cut short: run it again"],
      ["mark_applied", "the index is there and valid (checked pg_index.indisvalid)"],
    ]);
  });
});

describe("a drifted baselined migration", () => {
  it("is accepted like an applied one, and stays baselined", async () => {
    const t = tenants()[0]!;
    await onDatabase(sharedUrl, `update "${t.schema}"._schema_migrations set state = 'baselined', checksum = 'adopted' where version = '0001'`);
    writeFileSync(path.join(dir, "tenant/0001_accounts.sql"), `-- Customers.\n${readFileSync(path.join(EXAMPLES_DIR, "tenant/0001_accounts.sql"), "utf8")}`);
    resetCatalogStore();
    const res = await accept({ scope: "single", database_id: t.connectionId, tenant_id: t.id, migration_ids: ["tenant/0001_accounts"], reason: "adopted with another tool's checksum" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.targets[0].changes[0]).toMatchObject({ state_before: "baselined", checksum_before: "adopted" });
    expect((await checksumOf(t.schema, "0001"))!.state).toBe("baselined");
  });
});

