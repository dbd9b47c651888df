import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as catalogRoute from "../../app/api/migrations/catalog/route";
import * as planRoute from "../../app/api/migrations/dynamic/plan/route";
import * as targetsRoute from "../../app/api/migrations/dynamic/targets/route";
import { getDb } from "../../server/db/client";
import { tenants } from "../../server/db/schema";
import { resolveConnectionOrThrow } from "../../server/databases/service";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { loadCatalog } from "../../server/migrations/engine/catalog";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { withNewClient } from "../../server/migrations/engine/target-run";
import type { Target } from "../../server/migrations/engine/types";
import { eq } from "drizzle-orm";
import { claimsLike } from "../support/dev-realm";
import { setEnv } from "../support/test-env";
import { call } from "../support/api-call";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { onDatabase } from "../support/database";

/**
 * Issue 5's API over a real fleet: the catalog, target discovery per scope (with 4xx for what is
 * unknown or inactive) and plans read from the targets' real histories, with permissions.
 */

let env: ExecutionEnv;
let noReadToken: string;

const plan = (query: Record<string, string>, token = env.tokens.viewer) =>
  call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token, query });
const targets = (query: Record<string, string>, token = env.tokens.viewer) =>
  call(targetsRoute.GET, "GET", "/api/migrations/dynamic/targets", { token, query });

async function applyTier(db: { id: string }, tier: "admin" | "shared") {
  const c = await resolveConnectionOrThrow(db.id);
  const target: Target = {
    connectionId: c.id,
    connectionName: c.name,
    databaseName: c.databaseName,
    schemaName: "public",
    tier,
    region: c.region,
  };
  const url = new URL(env.fleet.env.controlPlane.url);
  url.pathname = `/${c.databaseName}`;
  const result = await executeTarget({ catalog: await loadCatalog(EXAMPLES_DIR), target, withClient: withNewClient({ connectionString: url.toString() }) });
  expect(result.status).toBe("succeeded");
}

beforeAll(async () => {
  // Plans only: nothing executes, so no worker.
  env = await startExecutionEnv({ regions: ["eu", "us"], tenantsPerRegion: 3, analytics: true, prefix: "plan", worker: false });
  noReadToken = await env.tokens.realm.sign(claimsLike(env.tokens.realm, { preferred_username: "db-reader", realm_access: { roles: ["databases:read"] } }));
});

afterAll(() => stopExecutionEnv(env));

describe("GET /api/migrations/catalog", () => {
  it("lists every file in dependency order with checksums, directives, lint findings and source", async () => {
    const res = await call(catalogRoute.GET, "GET", "/api/migrations/catalog", { token: env.tokens.viewer });
    expect(res.status, res.text).toBe(200);
    const ids = res.json.migrations.map((m: { id: string }) => m.id);
    expect(ids.indexOf("shared/0001_currencies")).toBeLessThan(ids.indexOf("tenant/0003_invoices"));
    expect(res.json.tiers.tenant).toEqual(ids.filter((id: string) => id.startsWith("tenant/")));
    const cic = res.json.migrations.find((m: { id: string }) => m.id === "tenant/0005_invoices_due_date_index");
    expect(cic).toMatchObject({ transactional: false, timeout_ms: 900_000, has_down: true });
    expect(cic.source).toContain("CREATE INDEX CONCURRENTLY");
    expect(res.json.migrations.find((m: { id: string }) => m.id === "tenant/0003_invoices").requires).toEqual(["shared/0001_currencies"]);
  });

  it("needs a token (401) and migrations:read (403 naming it)", async () => {
    expect((await call(catalogRoute.GET, "GET", "/api/migrations/catalog")).status).toBe(401);
    const res = await call(catalogRoute.GET, "GET", "/api/migrations/catalog", { token: noReadToken });
    expect(res.status).toBe(403);
    expect(res.json.message).toContain("migrations:read");
  });

  it("reloads when a file changes, and lists a broken file's problem with its file and line", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "catalog-"));
    try {
      mkdirSync(path.join(dir, "tenant"));
      writeFileSync(path.join(dir, "tenant/0001_a.sql"), "-- migrate:up\nCREATE TABLE a (id int);\n");
      setEnv({ MIGRATIONS_DIR: dir });
      resetCatalogStore();
      let res = await call(catalogRoute.GET, "GET", "/api/migrations/catalog", { token: env.tokens.viewer });
      expect(res.json.migrations.map((m: { id: string }) => m.id)).toEqual(["tenant/0001_a"]);

      writeFileSync(path.join(dir, "tenant/0002_b.sql"), "-- requires: tenant/0009_nope\n-- migrate:up\nSELECT 1;\n");
      await new Promise((r) => setTimeout(r, 1_100)); // past the once-a-second file check
      res = await call(catalogRoute.GET, "GET", "/api/migrations/catalog", { token: env.tokens.viewer });
      expect(res.status).toBe(200);
      expect(res.json.migrations.map((m: { id: string }) => m.id)).toEqual(["tenant/0001_a"]);
      expect(res.json.problems).toEqual([
        expect.objectContaining({ file: "tenant/0002_b.sql", line: 1, code: "unknown_requirement", tiers: ["tenant"] }),
      ]);
      expect(res.json.problems[0].message).toContain('tenant/0002_b.sql:1: requires "tenant/0009_nope"');

      writeFileSync(path.join(dir, "tenant/0002_b.sql"), "-- migrate:up\nSELECT 1;\n");
      await new Promise((r) => setTimeout(r, 1_100));
      res = await call(catalogRoute.GET, "GET", "/api/migrations/catalog", { token: env.tokens.viewer });
      expect(res.status).toBe(200);
      expect(res.json.migrations).toHaveLength(2);
      expect(res.json.problems).toEqual([]);
    } finally {
      setEnv({ MIGRATIONS_DIR: EXAMPLES_DIR });
      resetCatalogStore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("GET /api/migrations/dynamic/targets", () => {
  it("scope all: every active database's own target and every active tenant, providers first", async () => {
    const res = await targets({ scope: "all" });
    expect(res.status, res.text).toBe(200);
    const types = res.json.targets.map((t: { database_type: string }) => t.database_type);
    expect(types).toEqual(["admin", "shared", "shared", "analytics", ...env.fleet.tenants.map(() => "tenant")]);
    expect(res.json.providers).toEqual([]);
    const acme = res.json.targets.find((t: { tenant_id: string }) => t.tenant_id === env.fleet.tenants[0]!.id);
    expect(acme).toMatchObject({ schema_name: env.fleet.tenants[0]!.schema, tenant_slug: env.fleet.tenants[0]!.slug, region: "eu" });

    // Pages of the same order; the total is the whole scope's.
    const page = await targets({ scope: "all", limit: "2", offset: "1" });
    expect(page.json).toMatchObject({ total: res.json.total, page: { limit: 2, offset: 1 } });
    expect(page.json.targets.map((t: { key: string }) => t.key)).toEqual(res.json.targets.slice(1, 3).map((t: { key: string }) => t.key));
    expect((await targets({ scope: "all", limit: "10001" })).status).toBe(422);
  });

  it("scope regional: the region's shared database and tenants; the other targets are providers", async () => {
    const res = await targets({ scope: "regional", region: "us" });
    expect(res.status).toBe(200);
    expect(res.json.targets.map((t: { connection_name: string; schema_name: string }) => `${t.connection_name}/${t.schema_name}`)).toEqual([
      "shared-us/public",
      ...env.fleet.tenants.filter((t) => t.region === "us").map((t) => `shared-us/${t.schema}`),
    ]);
    expect(res.json.providers.map((t: { connection_name: string }) => t.connection_name).sort()).toEqual(["admin", "analytics", "shared-eu"]);
  });

  it("scope tenant with tenant_ids, and scope single by database, schema or tenant", async () => {
    const [a, b] = env.fleet.tenants;
    let res = await targets({ scope: "tenant", tenant_ids: `${a!.id},${b!.id}` });
    expect(res.json.targets.map((t: { tenant_id: string }) => t.tenant_id).sort()).toEqual([a!.id, b!.id].sort());
    res = await targets({ scope: "single", database_id: env.fleet.shared.eu!.id });
    expect(res.json.targets.map((t: { schema_name: string }) => t.schema_name)).toEqual(["public"]);
    res = await targets({ scope: "single", database_id: env.fleet.shared.eu!.id, schema_name: a!.schema });
    expect(res.json.targets).toMatchObject([{ tenant_id: a!.id, database_type: "tenant" }]);
    res = await targets({ scope: "single", database_id: env.fleet.shared.eu!.id, tenant_id: a!.id });
    expect(res.json.targets).toMatchObject([{ schema_name: a!.schema }]);
  });

  it("unknown region, tenant, database or schema: 404 naming it; inactive: 409; bad combinations: 422", async () => {
    let res = await targets({ scope: "regional", region: "mars-1" });
    expect(res.status).toBe(404);
    expect(res.json.message).toContain("region mars-1 is unknown");
    const ghost = "00000000-0000-4000-8000-00000000abcd";
    res = await targets({ scope: "tenant", tenant_ids: ghost });
    expect(res.status).toBe(404);
    expect(res.json.details.ids).toEqual([ghost]);
    res = await targets({ scope: "single", database_id: ghost });
    expect(res.status).toBe(404);
    res = await targets({ scope: "single", database_id: env.fleet.shared.eu!.id, schema_name: "tenant_nobody" });
    expect(res.status).toBe(404);
    expect(res.json.message).toContain("tenant_nobody");

    const suspended = env.fleet.tenants[1]!;
    await getDb().update(tenants).set({ status: "suspended" }).where(eq(tenants.id, suspended.id));
    try {
      res = await targets({ scope: "tenant", tenant_ids: suspended.id });
      expect(res.status).toBe(409);
      expect(res.json.message).toContain(`${suspended.slug} (suspended)`);
      // Not asked for explicitly: simply left out.
      res = await targets({ scope: "tenant" });
      expect(res.json.targets.map((t: { tenant_id: string }) => t.tenant_id)).not.toContain(suspended.id);
    } finally {
      await getDb().update(tenants).set({ status: "active" }).where(eq(tenants.id, suspended.id));
    }

    res = await targets({ scope: "regional" });
    expect(res.status).toBe(422);
    expect(res.json.details.fields).toContainEqual(expect.objectContaining({ field: "region" }));
    res = await targets({ scope: "tenant", region: "eu" });
    expect(res.status).toBe(422);
    res = await targets({ scope: "single" });
    expect(res.status).toBe(422);
    expect((await targets({ scope: "everything" })).status).toBe(422);
  });
});

describe("GET /api/migrations/dynamic/plan", () => {
  it("a fresh fleet: everything pending; tenants wait on providers that apply in the same plan", async () => {
    const res = await plan({ scope: "all" });
    expect(res.status, res.text).toBe(200);
    const catalog = await loadCatalog(EXAMPLES_DIR);
    expect(res.json.totals).toMatchObject({
      targets: 4 + env.fleet.tenants.length,
      pending: 4 + env.fleet.tenants.length,
      blocked: 0,
      unreachable: 0,
      pending_migrations: catalog.byTier.admin.length + 2 * catalog.byTier.shared.length + catalog.byTier.analytics.length + env.fleet.tenants.length * catalog.byTier.tenant.length,
    });
    const tenant = res.json.targets.find((t: { tenant_id: string | null }) => t.tenant_id === env.fleet.tenants[0]!.id);
    expect(tenant.pending).toEqual(catalog.byTier.tenant.map((m) => m.id));
    expect(tenant.cross_target).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ migration_id: "tenant/0003_invoices", requires: "shared/0001_currencies", will_apply_in_plan: true }),
        expect.objectContaining({ migration_id: "tenant/0006_accounts_plan", requires: "admin/0001_plans", will_apply_in_plan: true }),
      ]),
    );
    expect(res.json.migrations.map((m: { id: string }) => m.id)).toEqual(catalog.migrations.map((m) => m.id));
    expect(res.json.warnings.length).toBeGreaterThan(0);
    expect(res.json.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("scope tenant alone is blocked while the region's shared target lacks what tenants require", async () => {
    const res = await plan({ scope: "tenant" });
    expect(res.json.totals.blocked).toBe(env.fleet.tenants.length);
    expect(res.json.targets[0].blocked_reasons.join(" ")).toContain("requires shared/0001_currencies");
    // The way forward: the providers its tenants wait for, and how many tenants would then run.
    expect(res.json.providers_needed).toEqual({
      targets: [
        expect.objectContaining({ database_type: "admin", schema_name: "public" }),
        expect.objectContaining({ database_type: "shared", region: "eu" }),
        expect.objectContaining({ database_type: "shared", region: "us" }),
      ],
      unblocks: env.fleet.tenants.length,
    });
    expect(res.json.included_providers).toEqual([]);
  });

  it("include_providers takes those providers in: the tenant plan is runnable, providers listed first and marked", async () => {
    const one = env.fleet.tenants.find((t) => t.region === "eu")!;
    const blocked = await plan({ scope: "tenant", tenant_ids: one.id });
    expect(blocked.json.totals).toMatchObject({ targets: 1, blocked: 1, pending: 0 });
    const res = await plan({ scope: "tenant", tenant_ids: one.id, include_providers: "true" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.totals).toMatchObject({ targets: 3, blocked: 0, pending: 3 });
    expect(res.json.params.include_providers).toBe(true);
    expect(res.json.providers_needed).toBeNull();
    expect(res.json.included_providers.map((t: { connection_name: string }) => t.connection_name)).toEqual(["admin", "shared-eu"]);
    expect(res.json.targets.map((t: { database_type: string; included_as_provider: boolean }) => [t.database_type, t.included_as_provider])).toEqual([
      ["admin", true],
      ["shared", true],
      ["tenant", false],
    ]);
    expect(res.json.fingerprint).not.toBe(blocked.json.fingerprint);
    // Only the flag's two spellings; and discovery of targets does not take it.
    const bad = await plan({ scope: "tenant", include_providers: "yes" });
    expect(bad.status).toBe(422);
    expect(bad.json.details.fields).toEqual([expect.objectContaining({ field: "include_providers" })]);
    expect((await targets({ scope: "tenant", include_providers: "true" })).status).toBe(422);
  });

  it("reads the real histories: after the providers are applied, tenants are pending and not blocked", async () => {
    await applyTier(env.fleet.admin, "admin");
    await applyTier(env.fleet.shared.eu!, "shared");
    await applyTier(env.fleet.shared.us!, "shared");
    const res = await plan({ scope: "tenant" });
    expect(res.json.totals).toMatchObject({ blocked: 0, pending: env.fleet.tenants.length });
    const admin = await plan({ scope: "admin" });
    expect(admin.json.targets).toMatchObject([{ status: "up_to_date", pending: [] }]);
    expect(admin.json.totals.up_to_date).toBe(1);
  });

  it("shows drift on a target whose applied file changed, and blocks it", async () => {
    await onDatabase(env.fleet.shared.eu!.db.url, "update public._schema_migrations set checksum = 'x' where version = '0002'");
    try {
      const res = await plan({ scope: "single", database_id: env.fleet.shared.eu!.id });
      expect(res.json.targets[0]).toMatchObject({ status: "blocked", drift: [expect.objectContaining({ id: "shared/0002_countries", applied_checksum: "x" })] });
      expect(res.json.totals.drift).toBe(1);
    } finally {
      const catalog = await loadCatalog(EXAMPLES_DIR);
      await onDatabase(env.fleet.shared.eu!.db.url, "update public._schema_migrations set checksum = $1 where version = '0002'", [
        catalog.byId.get("shared/0002_countries")!.checksum,
      ]);
    }
  });

  it("pages targets and filters by status; totals cover the whole plan; the fingerprint does not depend on the page", async () => {
    const all = await plan({ scope: "all" });
    const page = await plan({ scope: "all", limit: "2", offset: "1" });
    expect(page.json.targets).toHaveLength(2);
    expect(page.json.targets[0].key).toBe(all.json.targets[1].key);
    expect(page.json.page).toEqual({ total: all.json.targets.length, limit: 2, offset: 1 });
    expect(page.json.totals).toEqual(all.json.totals);
    expect(page.json.fingerprint).toBe(all.json.fingerprint);
    const upToDate = await plan({ scope: "all", status: "up_to_date" });
    expect(upToDate.json.targets.map((t: { database_type: string }) => t.database_type).sort()).toEqual(["admin", "shared", "shared"]);
  });

  it("pages put together are the whole plan: every target once, in the same order, with totals and status filters right", async () => {
    const whole = await plan({ scope: "all", limit: "10000" });
    expect(whole.status, whole.text).toBe(200);
    const keys: string[] = whole.json.targets.map((t: { key: string }) => t.key);
    expect(keys.length).toBeGreaterThan(5);
    expect(whole.json.page).toEqual({ total: keys.length, limit: 10000, offset: 0 });
    const walk = async (query: Record<string, string>) => {
      const seen: string[] = [];
      for (let offset = 0; ; offset += 2) {
        const page = await plan({ ...query, limit: "2", offset: String(offset), fingerprint: whole.json.fingerprint });
        expect(page.status, page.text).toBe(200);
        expect(page.json.fingerprint).toBe(whole.json.fingerprint);
        expect(page.json.totals).toEqual(whole.json.totals);
        if (page.json.targets.length === 0) return { seen, total: page.json.page.total };
        seen.push(...page.json.targets.map((t: { key: string }) => t.key));
      }
    };
    const all = await walk({ scope: "all" });
    expect(all.seen).toEqual(keys);
    expect(all.total).toBe(keys.length);
    const pending = await walk({ scope: "all", status: "pending" });
    const wanted = whole.json.targets.filter((t: { status: string }) => t.status === "pending").map((t: { key: string }) => t.key);
    expect(pending.seen).toEqual(wanted);
    expect(pending.total).toBe(whole.json.totals.pending);
    expect(new Set(pending.seen).size).toBe(pending.seen.length);
    // Past the end: an empty page that still says how many there are.
    const beyond = await plan({ scope: "all", offset: String(keys.length + 5), fingerprint: whole.json.fingerprint });
    expect(beyond.json.targets).toEqual([]);
    expect(beyond.json.page).toMatchObject({ total: keys.length, offset: keys.length + 5 });
  });

  it("a fingerprint pages the plan it names, kept since its preview; without one, or for another scope, the fleet is planned anew", async () => {
    const before = await plan({ scope: "tenant", limit: "2" });
    expect(before.status, before.text).toBe(200);
    const fingerprint: string = before.json.fingerprint;
    // The fleet changes after the preview: one more tenant.
    const eu = env.fleet.tenants.find((t) => t.region === "eu")!;
    await getDb().insert(tenants).values({ slug: "late-comer", name: "Late comer", region: "eu", connectionId: eu.connectionId, schemaName: "tenant_late_comer", createdBy: "test" });
    try {
      const kept = await plan({ scope: "tenant", limit: "2", offset: "2", fingerprint });
      expect(kept.status, kept.text).toBe(200);
      expect(kept.json.fingerprint).toBe(fingerprint);
      expect(kept.json.page.total).toBe(before.json.page.total);
      expect(kept.json.targets.map((t: { tenant_slug: string }) => t.tenant_slug)).not.toContain("late-comer");

      const fresh = await plan({ scope: "tenant", limit: "2", offset: "2" });
      expect(fresh.json.fingerprint).not.toBe(fingerprint);
      expect(fresh.json.page.total).toBe(before.json.page.total + 1);
      // The same fingerprint for another scope is not that plan.
      const other = await plan({ scope: "regional", region: "eu", fingerprint });
      expect(other.json.fingerprint).not.toBe(fingerprint);
      // A fingerprint this console does not keep: planned anew, and the answer says which plan it is.
      const unknown = await plan({ scope: "tenant", fingerprint: "0".repeat(64) });
      expect(unknown.json.fingerprint).toBe(fresh.json.fingerprint);
    } finally {
      await getDb().delete(tenants).where(eq(tenants.slug, "late-comer"));
    }
    const bad = await plan({ scope: "tenant", fingerprint: "not-a-fingerprint" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("fingerprint");
  });

  it("a database that cannot be reached is listed as unreachable; the rest of the plan stands", async () => {
    const deadId = await env.fleet.register("dead-eu", { name: "nowhere", port: 1 }, "tenant", "eu");
    await getDb().insert(tenants).values({ slug: "stranded", name: "Stranded", region: "eu", connectionId: deadId, schemaName: "tenant_stranded", createdBy: "test" });
    try {
      const res = await plan({ scope: "tenant" });
      expect(res.status).toBe(200);
      expect(res.json.unreachable).toEqual([expect.objectContaining({ database_id: deadId, connection_name: "dead-eu", code: "ECONNREFUSED" })]);
      const stranded = res.json.targets.find((t: { tenant_slug: string }) => t.tenant_slug === "stranded");
      expect(stranded).toMatchObject({ status: "unreachable", history_known: false, error: { code: "ECONNREFUSED" } });
      expect(res.json.totals).toMatchObject({ unreachable: 1, pending: env.fleet.tenants.length });
    } finally {
      await getDb().delete(tenants).where(eq(tenants.slug, "stranded"));
    }
  });

  it("needs migrations:read", async () => {
    expect((await plan({ scope: "all" }, noReadToken)).status).toBe(403);
    expect((await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { query: { scope: "all" } })).status).toBe(401);
  });
});
