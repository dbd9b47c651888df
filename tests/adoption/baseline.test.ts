import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/api/audit/route";
import * as planRoute from "../../app/api/migrations/dynamic/plan/route";
import * as baselineRoute from "../../app/api/migrations/baseline/route";
import * as tenantMigrationsRoute from "../../app/api/tenants/[id]/migrations/route";
import * as discoverRoute from "../../app/api/tenants/discover/route";
import * as tenantsRoute from "../../app/api/tenants/route";
import { claimsLike } from "../support/dev-realm";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { executeOrThrow, waitForEnd } from "../executions/exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";
import type { FleetTenant } from "../executions/fleet-env";
import { adoptionCatalog, buildLegacySchema } from "./adoption-fixture";

/**
 * Issue 13, item 1: a fleet built outside the console (tenant schemas made with plain SQL, no
 * history table) is baselined through the API, after its objects are checked, and then takes only
 * the newer migrations. A schema lacking objects is refused with the list; a refused or invalid
 * request writes nothing.
 */

let env: ExecutionEnv;
let catalog: ReturnType<typeof adoptionCatalog>;
let alpha: FleetTenant;
let beta: FleetTenant;
let sharedUrl: string;

beforeAll(async () => {
  catalog = adoptionCatalog();
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 0, catalogDir: catalog.dir, prefix: "adopt" });
  // The shared and admin databases are the console's own (tenant invoices need shared currencies).
  for (const body of [{ scope: "admin" }, { scope: "single", database_id: env.fleet.shared.eu!.id }]) {
    expect((await waitForEnd(env.tokens.operator, await executeOrThrow(env.tokens.operator, body))).status).toBe("completed");
  }
  sharedUrl = env.fleet.shared.eu!.db.url;
  await buildLegacySchema(sharedUrl, "tenant_alpha");
  await buildLegacySchema(sharedUrl, "tenant_beta", { withoutLines: true, withoutEmailIndex: true });
  const added = await env.fleet.addTenants("eu", ["alpha", "beta"], { createSchema: false });
  alpha = added[0]!;
  beta = added[1]!;
});

afterAll(async () => {
  await stopExecutionEnv(env);
  catalog.remove();
});

const baseline = (body: unknown, token = env.tokens.operator) =>
  call(baselineRoute.POST, "POST", "/api/migrations/baseline", { token, body });

const historyOf = async (schema: string) =>
  (
    await onDatabase<{ version: string; state: string; applied_by: string | null; execution_id: string | null }>(
      sharedUrl,
      `select version, state, applied_by, execution_id from "${schema}"._schema_migrations order by version`,
    )
  ).rows;

const hasHistoryTable = async (schema: string) =>
  (await onDatabase<{ t: string | null }>(sharedUrl, "select to_regclass($1)::text as t", [`"${schema}"._schema_migrations`])).rows[0]!.t !== null;

describe("baselining a fleet built outside the console", () => {
  it("refuses bad input with 422 naming the field, and writes nothing", async () => {
    const cases: [unknown, string][] = [
      [{ scope: "tenant" }, "to_version"],
      [{ scope: "tenant", to_version: "latest" }, "to_version"],
      [{ scope: "tenant", to_version: "0004", migration_ids: ["tenant/0001_accounts"] }, "migration_ids"],
      [{ scope: "tenant", migration_ids: ["tenant/0009_nope"] }, "migration_ids.0"],
      [{ scope: "tenant", migration_ids: ["admin/0001_plans"] }, "migration_ids.0"],
      [{ scope: "tenant", to_version: "0004", confirm_missing: true }, "reason"],
      [{ scope: "tenant", to_version: "0004", force: true }, "body"],
      [{ scope: "single", to_version: "0004" }, "database_id"],
    ];
    for (const [body, field] of cases) {
      const res = await baseline(body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(422);
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await hasHistoryTable("tenant_alpha")).toBe(false);
    expect(await hasHistoryTable("tenant_beta")).toBe(false);
  });

  it("needs migrations:manage (a viewer, and an executor without it, are refused)", async () => {
    expect((await baseline({ scope: "tenant", to_version: "0004" }, env.tokens.viewer)).status).toBe(403);
    const res = await baseline({ scope: "tenant", to_version: "0004" }, env.tokens.ciOperator);
    expect(res.status).toBe(403);
    expect(res.json.details.required_permission).toBe("migrations:manage");
  });

  it("a dry run checks every schema's objects and lists what is missing, writing nothing", async () => {
    const res = await baseline({ scope: "tenant", to_version: "0004", dry_run: true });
    expect(res.status, res.text).toBe(200);
    const [a, b] = res.json.targets;
    expect(a).toMatchObject({
      schema_name: "tenant_alpha",
      status: "verified",
      to_mark: ["tenant/0001_accounts", "tenant/0002_contacts", "tenant/0003_invoices", "tenant/0004_invoice_lines"],
      marked: [],
      missing_count: 0,
    });
    expect(b).toMatchObject({ schema_name: "tenant_beta", status: "missing_objects" });
    const missing = b.missing.map((m: { kind: string; name: string; column: string | null; migration_id: string }) =>
      [m.kind, m.column ? `${m.name}.${m.column}` : m.name, m.migration_id],
    );
    expect(missing).toContainEqual(["index", "contacts_account_email_uq", "tenant/0002_contacts"]);
    expect(missing).toContainEqual(["table", "invoice_lines", "tenant/0004_invoice_lines"]);
    expect(missing).toContainEqual(["column", "invoice_lines.amount_cents", "tenant/0004_invoice_lines"]);
    expect(b.missing[0]).toMatchObject({ schema: "tenant_beta", file: "tenant/0002_contacts.sql" });
    expect(res.json.totals).toMatchObject({ targets: 2, with_missing_objects: 1, marked: 0 });
    expect(await hasHistoryTable("tenant_alpha")).toBe(false);
  });

  it("refuses the whole scope with 409 listing the missing objects per schema, and writes nowhere", async () => {
    const res = await baseline({ scope: "tenant", to_version: "0004", reason: "adopting the eu fleet" });
    expect(res.status, res.text).toBe(409);
    expect(res.json.details.reason).toBe("missing_objects");
    expect(res.json.message).toContain("tenant_beta lacks index contacts_account_email_uq");
    expect(res.json.details.report.targets.map((t: { schema_name: string }) => t.schema_name)).toEqual(["tenant_beta"]);
    expect(await hasHistoryTable("tenant_alpha")).toBe(false);
    expect(await hasHistoryTable("tenant_beta")).toBe(false);
  });

  it("marks a complete schema: rows baselined, by the operator, with no execution", async () => {
    const res = await baseline({ scope: "tenant", tenant_ids: [alpha.id], to_version: "0004", reason: "built by the old deploy scripts" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.targets[0]).toMatchObject({ status: "baselined", marked: ["tenant/0001_accounts", "tenant/0002_contacts", "tenant/0003_invoices", "tenant/0004_invoice_lines"] });
    expect(await historyOf("tenant_alpha")).toEqual(
      ["0001", "0002", "0003", "0004"].map((version) => ({ version, state: "baselined", applied_by: "operator", execution_id: null })),
    );
    // Doing it again marks nothing: every selected migration is recorded.
    const again = await baseline({ scope: "tenant", tenant_ids: [alpha.id], to_version: "0004" });
    expect(again.json.targets[0]).toMatchObject({ status: "nothing_to_mark", marked: [] });
    expect(again.json.targets[0].already_recorded).toHaveLength(4);
  });

  it("marks a schema lacking objects only when the operator confirms with a reason", async () => {
    const res = await baseline({
      scope: "single",
      database_id: beta.connectionId,
      tenant_id: beta.id,
      to_version: "0004",
      confirm_missing: true,
      reason: "invoice lines were never used by this tenant",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.targets[0]).toMatchObject({ status: "baselined", missing_count: expect.any(Number) });
    expect(res.json.targets[0].missing_count).toBeGreaterThan(0);
    expect((await historyOf("tenant_beta")).map((r) => r.state)).toEqual(["baselined", "baselined", "baselined", "baselined"]);
  });

  it("keeps who and why in the audit trail", async () => {
    const res = await call(auditRoute.GET, "GET", "/api/audit", { token: env.tokens.admin, query: { action: "migrations.baseline" } });
    expect(res.status, res.text).toBe(200);
    const confirmed = res.json.entries.find((e: { outcome: string; details: { confirm_missing: boolean } }) => e.outcome === "success" && e.details.confirm_missing);
    expect(confirmed).toMatchObject({ actor_name: "operator", details: { reason: "invoice lines were never used by this tenant", to_version: "0004" } });
    expect(confirmed.details.targets[0]).toMatchObject({ target: "shared-eu/tenant_beta", status: "baselined" });
    expect(confirmed.details.targets[0].missing_confirmed).toContain("table tenant_beta.invoice_lines");
    const refused = res.json.entries.find((e: { error_code: string | null }) => e.error_code === "conflict");
    expect(refused.details.reason).toBe("adopting the eu fleet");
  });

  it("plans and the tenant page show the baselined versions apart; nothing is pending", async () => {
    const plan = await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token: env.tokens.viewer, query: { scope: "tenant" } });
    expect(plan.status, plan.text).toBe(200);
    for (const t of plan.json.targets) {
      expect(t).toMatchObject({ status: "up_to_date", pending: [], applied_count: 4 });
      expect(t.baselined.map((b: { id: string }) => b.id)).toEqual(["tenant/0001_accounts", "tenant/0002_contacts", "tenant/0003_invoices", "tenant/0004_invoice_lines"]);
    }
    expect(plan.json.totals.baselined).toBe(8);
    const page = await call(tenantMigrationsRoute.GET, "GET", `/api/tenants/${alpha.id}/migrations`, { token: env.tokens.viewer, params: { id: alpha.id } });
    expect(page.json.applied.map((a: { id: string; state: string }) => [a.id, a.state])).toEqual([
      ["tenant/0001_accounts", "baselined"],
      ["tenant/0002_contacts", "baselined"],
      ["tenant/0003_invoices", "baselined"],
      ["tenant/0004_invoice_lines", "baselined"],
    ]);
  });

  it("then takes only the newer migrations", async () => {
    catalog.grow();
    const plan = await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token: env.tokens.viewer, query: { scope: "tenant" } });
    for (const t of plan.json.targets) expect(t.pending).toEqual(["tenant/0005_invoices_due_date_index", "tenant/0006_accounts_plan"]);
    const done = await waitForEnd(env.tokens.operator, await executeOrThrow(env.tokens.operator, { scope: "tenant", plan_fingerprint: plan.json.fingerprint }));
    expect(done.status, JSON.stringify(done.targets)).toBe("completed");
    for (const t of done.targets) {
      expect(t.migrations.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
        ["tenant/0005_invoices_due_date_index", "applied"],
        ["tenant/0006_accounts_plan", "applied"],
      ]);
    }
    expect((await historyOf("tenant_alpha")).map((r) => `${r.version}:${r.state}`)).toEqual([
      "0001:baselined",
      "0002:baselined",
      "0003:baselined",
      "0004:baselined",
      "0005:applied",
      "0006:applied",
    ]);
    // The data that was there before the console is still there, with the new column's default.
    const rows = await onDatabase<{ name: string; plan_id: string }>(sharedUrl, "select name, plan_id from tenant_alpha.accounts");
    expect(rows.rows).toEqual([{ name: "Existing customer", plan_id: "starter" }]);
  });
});

describe("baseline on register", () => {
  const register = (body: unknown, token = env.tokens.operator) => call(discoverRoute.POST, "POST", "/api/tenants/discover", { token, body });
  const registered = async (schema: string) =>
    (await call(tenantsRoute.GET, "GET", "/api/tenants", { token: env.tokens.viewer, query: { search: schema } })).json.items.length > 0;

  beforeAll(async () => {
    await buildLegacySchema(sharedUrl, "tenant_gamma");
    await buildLegacySchema(sharedUrl, "tenant_delta", { withoutLines: true });
  });

  it("needs migrations:manage besides databases:manage, and registers nothing without it", async () => {
    const registrar = await env.tokens.realm.sign(
      claimsLike(env.tokens.realm, { preferred_username: "registrar", realm_access: { roles: ["databases:manage", "migrations:read"] } }),
    );
    const res = await register(
      { connection_id: env.fleet.shared.eu!.id, tenants: [{ schema_name: "tenant_gamma" }], baseline: { to_version: "0004" } },
      registrar,
    );
    expect(res.status, res.text).toBe(403);
    expect(res.json.details.required_permission).toBe("migrations:manage");
    expect(await registered("tenant_gamma")).toBe(false);
  });

  it("refuses a bad selection with 422 naming the field under baseline", async () => {
    const body = (baseline: unknown) => ({ connection_id: env.fleet.shared.eu!.id, tenants: [{ schema_name: "tenant_gamma" }], baseline });
    const cases: [unknown, string][] = [
      [{}, "baseline.to_version"],
      [{ to_version: "0004", confirm_missing: true }, "baseline.reason"],
      [{ migration_ids: ["tenant/0042_nope"] }, "baseline.migration_ids.0"],
    ];
    for (const [baseline, field] of cases) {
      const res = await register(body(baseline));
      expect(res.status, res.text).toBe(422);
      expect(res.json.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await registered("tenant_gamma")).toBe(false);
  });

  it("checks every schema before registering: one lacking objects refuses the call, nothing is registered", async () => {
    const res = await register({
      connection_id: env.fleet.shared.eu!.id,
      tenants: [{ schema_name: "tenant_gamma" }, { schema_name: "tenant_delta" }],
      baseline: { to_version: "0004" },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.json.details.report.targets.map((t: { schema_name: string; status: string }) => [t.schema_name, t.status])).toEqual([
      ["tenant_delta", "missing_objects"],
    ]);
    expect(await registered("tenant_gamma")).toBe(false);
    expect(await registered("tenant_delta")).toBe(false);
    expect(await hasHistoryTable("tenant_gamma")).toBe(false);
  });

  it("registers and baselines in one call; the tenant then has only the newer migrations pending", async () => {
    const res = await register({ connection_id: env.fleet.shared.eu!.id, tenants: [{ schema_name: "tenant_gamma" }], baseline: { to_version: "0004" } });
    expect(res.status, res.text).toBe(201);
    const gamma = res.json.items[0];
    expect(gamma).toMatchObject({ slug: "gamma", schema_name: "tenant_gamma" });
    expect(res.json.baseline.targets).toEqual([
      expect.objectContaining({ tenant_id: gamma.id, status: "baselined", marked: expect.arrayContaining(["tenant/0004_invoice_lines"]) }),
    ]);
    const page = await call(tenantMigrationsRoute.GET, "GET", `/api/tenants/${gamma.id}/migrations`, { token: env.tokens.viewer, params: { id: gamma.id } });
    expect(page.json.applied.map((a: { state: string }) => a.state)).toEqual(["baselined", "baselined", "baselined", "baselined"]);
    expect(page.json.pending.map((p: { id: string }) => p.id)).toEqual(["tenant/0005_invoices_due_date_index", "tenant/0006_accounts_plan"]);
  });

  it("POST /api/tenants baselines the one schema it registers, with confirm_missing and a reason", async () => {
    const res = await call(tenantsRoute.POST, "POST", "/api/tenants", {
      token: env.tokens.operator,
      body: {
        slug: "delta",
        name: "Delta",
        connection_id: env.fleet.shared.eu!.id,
        schema_name: "tenant_delta",
        baseline: { to_version: "0004", confirm_missing: true, reason: "delta never had invoice lines" },
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ slug: "delta", baseline: { confirm_missing: true, totals: { marked: 4 } } });
    expect(res.json.baseline.targets[0].missing.map((m: { name: string }) => m.name)).toContain("invoice_lines");
    expect((await historyOf("tenant_delta")).map((r) => r.state)).toEqual(["baselined", "baselined", "baselined", "baselined"]);
  });
});
