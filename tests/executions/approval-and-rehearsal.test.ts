import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as approveRoute from "../../app/api/migrations/[id]/approve/route";
import * as cancelRoute from "../../app/api/migrations/[id]/cancel/route";
import * as listRoute from "../../app/api/migrations/route";
import * as planRoute from "../../app/api/migrations/dynamic/plan/route";
import { userTokens } from "../support/dev-realm";
import { snapshotSchemas } from "../engine/engine-fixture";
import { setEnv } from "../support/test-env";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { allEvents, execute, executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/**
 * Pinning a previewed plan (409 with what changed), rehearsals through the same path (nothing
 * kept, cross-target requirements rehearsed in one transaction or reported), and two-person
 * approval with REQUIRE_APPROVAL=true — all with the example catalog and real tokens.
 */

let env: ExecutionEnv;
let approver: string;

beforeAll(async () => {
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 3, prefix: "appr" });
  approver = (await userTokens(env.tokens.realm, "approver")).access_token;
});

afterAll(() => stopExecutionEnv(env));

const previewFingerprint = async (query: Record<string, string>) =>
  (await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token: env.tokens.viewer, query })).json.fingerprint as string;
const approve = (id: string, token: string) => call(approveRoute.POST, "POST", `/api/migrations/${id}/approve`, { token, params: { id } });

describe("rehearsal (dry_run)", () => {
  it("runs every pending migration on the real targets and keeps nothing", async () => {
    const urls = [env.fleet.admin.db.url, env.fleet.shared.eu!.db.url];
    const schemas = ["public", ...env.fleet.tenants.map((t) => t.schema)];
    const before = await Promise.all(urls.map((u) => snapshotSchemas(u, schemas)));

    const res = await execute(env.tokens.operator, { scope: "all", dry_run: true });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ kind: "rehearsal", dry_run: true, status: "in_progress" });
    const done = await waitForEnd(env.tokens.viewer, res.json.id);
    expect(done.status).toBe("completed");

    const shared = done.targets.find((t: { database_type: string }) => t.database_type === "shared");
    expect(shared.migrations.map((m: { status: string }) => m.status)).toEqual(["would_apply", "would_apply", "would_apply"]);
    const tenant = done.targets.find((t: { schema_name: string }) => t.schema_name === env.fleet.tenants[0]!.schema);
    const byId = Object.fromEntries(tenant.migrations.map((m: { id: string; status: string }) => [m.id, m]));
    // Its invoices need the region's currencies: rehearsed first in the same transaction.
    expect(byId["tenant/0003_invoices"].status).toBe("would_apply");
    // CREATE INDEX CONCURRENTLY cannot run in a transaction.
    expect(byId["tenant/0005_invoices_due_date_index"].status).toBe("not_rehearsable");
    // Its plans live in the admin database: another database, another transaction.
    expect(byId["tenant/0006_accounts_plan"]).toMatchObject({ status: "not_rehearsable", error: { code: "not_rehearsable" } });
    expect(byId["tenant/0006_accounts_plan"].error.message).toContain("requires admin/0001_plans");

    const after = await Promise.all(urls.map((u) => snapshotSchemas(u, schemas)));
    expect(after).toEqual(before);
  });

  it("reports the real error of a migration that would fail, and still rehearses the ones after it", async () => {
    const conflicted = env.fleet.tenants[1]!;
    await onDatabase(env.fleet.shared.eu!.db.url, `create table "${conflicted.schema}".contacts (id int)`);
    try {
      const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [conflicted.id], dry_run: true });
      const done = await waitForEnd(env.tokens.viewer, id);
      // tenant/0003 needs the shared currencies, which nobody applied: the plan blocks the target.
      expect(done.status).toBe("failed");
      expect(done.targets[0].error).toMatchObject({ code: "blocked" });

      const single = await executeOrThrow(env.tokens.operator, { scope: "all", dry_run: true });
      const all = await waitForEnd(env.tokens.viewer, single);
      const target = all.targets.find((t: { schema_name: string }) => t.schema_name === conflicted.schema);
      expect(target.status).toBe("failed");
      expect(target.error).toMatchObject({ code: "42P07", file: "tenant/0002_contacts.sql", line: 4 });
      const statuses = target.migrations.map((m: { id: string; status: string }) => `${m.id}=${m.status}`);
      expect(statuses).toContain("tenant/0002_contacts=would_fail");
      expect(statuses).toContain("tenant/0004_invoice_lines=would_apply");
      expect(all.progress.failed_targets).toBe(1);
    } finally {
      await onDatabase(env.fleet.shared.eu!.db.url, `drop table "${conflicted.schema}".contacts`);
    }
  });
});

describe("pinning the previewed plan", () => {
  it("refuses with 409 plan_changed naming what changed since the preview", async () => {
    const fingerprint = await previewFingerprint({ scope: "tenant" });
    const [late] = await env.fleet.addTenants("eu", ["latecomer"]);
    const res = await execute(env.tokens.operator, { scope: "tenant", plan_fingerprint: fingerprint });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe("plan_changed");
    expect(res.json.details.pinned_fingerprint).toBe(fingerprint);
    expect(res.json.details.changes.targets_added).toEqual([`shared-eu/${late!.schema}`]);
    expect(res.json.message).toContain("1 target(s) added");

    const unknown = await execute(env.tokens.operator, { scope: "tenant", plan_fingerprint: "0".repeat(64) });
    expect(unknown.status).toBe(409);
    expect(unknown.json.details.changes).toBeNull();
    expect(unknown.json.message).toContain("no longer known");
  });

  it("needs migrations:execute", async () => {
    const res = await execute(env.tokens.viewer, { scope: "tenant" });
    expect(res.status).toBe(403);
    expect(res.json.message).toContain("migrations:execute");
  });

  it("executes when the plan still matches", async () => {
    for (const scope of [{ scope: "admin" }, { scope: "single", database_id: env.fleet.shared.eu!.id }]) {
      const fingerprint = await previewFingerprint(scope as Record<string, string>);
      const id = await executeOrThrow(env.tokens.operator, { ...scope, plan_fingerprint: fingerprint });
      expect((await waitForEnd(env.tokens.viewer, id)).status).toBe("completed");
    }
  });
});

describe("two-person approval (REQUIRE_APPROVAL=true)", () => {
  beforeAll(() => setEnv({ REQUIRE_APPROVAL: "true" }));
  afterAll(() => setEnv({ REQUIRE_APPROVAL: "false" }));

  it("waits in pending until a different user with migrations:manage approves, then runs", async () => {
    const res = await execute(env.tokens.operator, { scope: "tenant" });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "pending", awaiting_approval: true, started_at: null });
    const id = res.json.id as string;
    await new Promise((r) => setTimeout(r, 500));
    expect((await status(env.tokens.viewer, id)).json.targets.every((t: { status: string }) => t.status === "pending")).toBe(true);

    const self = await approve(id, env.tokens.operator);
    expect(self.status).toBe(403);
    expect(self.json.message).toContain("operator started this execution and cannot also approve it");
    expect((await approve(id, env.tokens.viewer)).status).toBe(403);

    const ok = await approve(id, approver);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ status: "in_progress", approved_by: "approver", awaiting_approval: false });
    const done = await waitForEnd(env.tokens.viewer, id, 60_000);
    expect(done.status).toBe("completed");
    const types = (await allEvents(id)).map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(["execution_created", "execution_approved", "execution_started"]);
    expect((await approve(id, approver)).status).toBe(409);
  });

  it("refuses to approve a plan that changed since it was requested", async () => {
    const [extra] = await env.fleet.addTenants("eu", ["after-request"]);
    const res = await execute(env.tokens.operator, { scope: "tenant", tenant_ids: [extra!.id] });
    expect(res.json.status).toBe("pending");
    await onDatabase(env.fleet.shared.eu!.db.url, `create table "${extra!.schema}"._schema_migrations (version text primary key, name text not null, checksum text not null, applied_at timestamptz not null default now(), execution_id text, duration_ms integer, applied_by text, state text not null default 'applied')`);
    await onDatabase(env.fleet.shared.eu!.db.url, `insert into "${extra!.schema}"._schema_migrations (version, name, checksum) values ('0001', 'accounts', 'x')`);
    const refused = await approve(res.json.id, approver);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toBe("plan_changed");
    expect(refused.json.details.changes.targets_changed[0]).toMatchObject({ target: `shared-eu/${extra!.schema}` });

    // A pending execution can be cancelled outright.
    const cancelled = await call(cancelRoute.POST, "POST", `/api/migrations/${res.json.id}/cancel`, { token: env.tokens.operator, params: { id: res.json.id } });
    expect(cancelled.json).toMatchObject({ status: "cancelled" });
    expect((await status(env.tokens.viewer, res.json.id)).json.targets[0]).toMatchObject({ status: "skipped", error: { code: "cancelled" } });
  });

  it("rehearsals need no approval", async () => {
    const res = await execute(env.tokens.operator, { scope: "admin", dry_run: true });
    expect(res.json.status).not.toBe("pending");
  });

  it("lists executions newest first, filtered by status, kind and who ran them", async () => {
    const all = await call(listRoute.GET, "GET", "/api/migrations", { token: env.tokens.viewer, query: { limit: "100" } });
    expect(all.status).toBe(200);
    const created = all.json.executions.map((e: { created_at: string }) => e.created_at);
    expect(created).toEqual([...created].sort().reverse());
    const rehearsals = await call(listRoute.GET, "GET", "/api/migrations", { token: env.tokens.viewer, query: { kind: "rehearsal", dry_run: "true" } });
    expect(rehearsals.json.executions.length).toBeGreaterThanOrEqual(3);
    expect(rehearsals.json.executions.every((e: { kind: string }) => e.kind === "rehearsal")).toBe(true);
    const cancelled = await call(listRoute.GET, "GET", "/api/migrations", { token: env.tokens.viewer, query: { status: "cancelled", executed_by: "operator" } });
    expect(cancelled.json.total).toBe(1);
    const page = await call(listRoute.GET, "GET", "/api/migrations", { token: env.tokens.viewer, query: { limit: "2", offset: "1" } });
    expect(page.json).toMatchObject({ limit: 2, offset: 1, total: all.json.total });
    expect(page.json.executions.map((e: { id: string }) => e.id)).toEqual(all.json.executions.slice(1, 3).map((e: { id: string }) => e.id));
  });
});
