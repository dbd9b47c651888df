import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../server/migrations/engine/catalog";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { readDatabaseHistories, readTargetHistory } from "../../server/migrations/engine/history-repository";
import { planMigrations } from "../../server/migrations/engine/plan";
import { revertTarget } from "../../server/migrations/engine/revert-target";
import type { MigrationEvent } from "../../server/migrations/engine/target-run";
import { targetKey, type Catalog, type Target } from "../../server/migrations/engine/types";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { createFleetDatabase, query, sharedTarget, snapshotSchemas, tenantTarget } from "./engine-fixture";

type FleetDb = Awaited<ReturnType<typeof createFleetDatabase>>;

let catalog: Catalog;
let regional: FleetDb;
let central: FleetDb;
let shared: Target;
let tenant: Target;

beforeAll(async () => {
  catalog = await loadCatalog(EXAMPLES_DIR);
  regional = await createFleetDatabase("eng_apply");
  central = await createFleetDatabase("eng_central");
  shared = sharedTarget(regional.name);
  tenant = tenantTarget(regional.name, "acme");
});

afterAll(async () => {
  await regional?.drop();
  await central?.drop();
});

describe("applying the example catalog to a fresh fleet", () => {
  it("plans every migration of each tier, with the tenant's cross-tier needs met in the same plan", () => {
    const admin: Target = { ...sharedTarget(central.name), connectionName: "admin", tier: "admin", region: null };
    const plan = planMigrations({ catalog, targets: [admin, shared, tenant], histories: new Map() });
    expect(plan.targets.map((t) => t.pending.length)).toEqual(
      (["admin", "shared", "tenant"] as const).map((tier) => catalog.byTier[tier].length),
    );
    expect(plan.targets[2]!.crossTarget).toEqual([
      expect.objectContaining({ requires: "shared/0001_currencies", willApplyInPlan: true }),
      expect.objectContaining({ requires: "admin/0001_plans", willApplyInPlan: true }),
    ]);
    expect(plan.targets.every((t) => t.status === "pending")).toBe(true);
  });

  it("applies the shared tier to public, then every tenant migration to the tenant schema, reporting each one", async () => {
    const sharedRun = await executeTarget({ catalog, target: shared, withClient: regional.withClient, executionId: "exec-1", appliedBy: "ops" });
    expect(sharedRun.error).toBeUndefined();
    expect(sharedRun).toMatchObject({ status: "succeeded", appliedCount: catalog.byTier.shared.length });

    const events: MigrationEvent[] = [];
    const tenantRun = await executeTarget({
      catalog,
      target: tenant,
      withClient: regional.withClient,
      executionId: "exec-1",
      appliedBy: "ops",
      onEvent: (e) => {
        events.push(e);
      },
    });
    expect(tenantRun.error).toBeUndefined();
    expect(tenantRun.status).toBe("succeeded");
    expect(tenantRun.migrations.map((m) => [m.id, m.status])).toEqual(catalog.byTier.tenant.map((m) => [m.id, "applied"]));
    expect(events.map((e) => `${e.type}:${e.migrationId}`)).toEqual(
      catalog.byTier.tenant.flatMap((m) => [`migration_started:${m.id}`, `migration_finished:${m.id}`]),
    );
    const finished = events.filter((e) => e.type === "migration_finished");
    expect(finished.every((e) => e.status === "applied" && e.durationMs >= 0)).toBe(true);

    // The schema really has the demo's tables and the concurrently built index, valid.
    const tables = await query<{ relname: string }>(
      regional.url,
      "select relname from pg_class where relnamespace = 'tenant_acme'::regnamespace and relkind = 'r' order by 1",
    );
    expect(tables.map((t) => t.relname)).toEqual(["_schema_migrations", "accounts", "contacts", "invoice_lines", "invoices"]);
    const index = await query<{ indisvalid: boolean }>(
      regional.url,
      "select indisvalid from pg_index where indexrelid = 'tenant_acme.invoices_open_due_date_idx'::regclass",
    );
    expect(index).toEqual([{ indisvalid: true }]);
  });

  it("records history rows that match the catalog's versions, names and checksums", async () => {
    const rows = await query<{ version: string; name: string; checksum: string; state: string; execution_id: string; applied_by: string }>(
      regional.url,
      "select version, name, checksum, state, execution_id, applied_by from tenant_acme._schema_migrations order by version",
    );
    expect(rows).toEqual(
      catalog.byTier.tenant.map((m) => ({
        version: m.version,
        name: m.name,
        checksum: m.checksum,
        state: "applied",
        execution_id: "exec-1",
        applied_by: "ops",
      })),
    );
  });

  it("applies nothing on a second run, and the re-plan from a bulk history read is up to date", async () => {
    const again = await executeTarget({ catalog, target: tenant, withClient: regional.withClient });
    expect(again).toMatchObject({ status: "succeeded", appliedCount: 0 });
    expect(again.migrations.every((m) => m.status === "skipped")).toBe(true);

    const histories = await regional.withClient((client) =>
      readDatabaseHistories(client, ["public", "tenant_acme", "tenant_not_created"], 1),
    );
    expect(histories.get("tenant_not_created")).toEqual([]);
    expect(histories.get("public")!.map((r) => r.version)).toEqual(catalog.byTier.shared.map((m) => m.version));
    const byKey = new Map([
      [targetKey(shared), histories.get("public")!],
      [targetKey(tenant), histories.get("tenant_acme")!],
    ]);
    const plan = planMigrations({ catalog, targets: [shared, tenant], histories: byKey });
    expect(plan.targets.map((t) => t.status)).toEqual(["up_to_date", "up_to_date"]);
  });

  it("applies the admin and analytics tiers cleanly too", async () => {
    const admin: Target = { ...sharedTarget(central.name), connectionName: "admin", tier: "admin", region: null };
    const analytics: Target = { ...sharedTarget(central.name), connectionName: "analytics-eu", tier: "analytics", schemaName: "analytics" };
    for (const target of [admin, analytics]) {
      const run = await executeTarget({ catalog, target, withClient: central.withClient });
      expect(run.error).toBeUndefined();
      expect(run.appliedCount).toBe(catalog.byTier[target.tier].length);
    }
    const [flags] = await query<{ n: number }>(central.url, "select count(*)::int as n from public.plan_features");
    expect(flags!.n).toBeGreaterThan(0);
    const [fn] = await query<{ n: string }>(central.url, "select analytics.refresh_daily_event_counts(current_date)::text as n");
    expect(fn!.n).toBe("0");
  });

  it("rolls every tenant migration back with its down part, then applies them again", async () => {
    const fresh = await createFleetDatabase("eng_fresh");
    try {
      await executeTarget({ catalog, target: sharedTarget(fresh.name), withClient: fresh.withClient });
      const empty = tenantTarget(fresh.name, "acme");
      // What a tenant schema looks like with an empty history table and nothing else.
      await executeTarget({ catalog, target: empty, withClient: fresh.withClient, migrationIds: [] });
      const before = await snapshotSchemas(fresh.url, ["tenant_acme"]);

      await executeTarget({ catalog, target: empty, withClient: fresh.withClient });
      const reverted = await revertTarget({
        catalog,
        target: empty,
        withClient: fresh.withClient,
        migrationIds: catalog.byTier.tenant.map((m) => m.id),
      });
      expect(reverted.error).toBeUndefined();
      expect(reverted.migrations.map((m) => m.id)).toEqual(catalog.byTier.tenant.map((m) => m.id).reverse());
      expect(reverted.migrations.every((m) => m.status === "rolled_back")).toBe(true);
      const after = await snapshotSchemas(fresh.url, ["tenant_acme"]);
      expect(after).toEqual(before);

      const reapplied = await executeTarget({ catalog, target: empty, withClient: fresh.withClient });
      expect(reapplied.appliedCount).toBe(catalog.byTier.tenant.length);
      expect(await fresh.withClient((c) => readTargetHistory(c, "tenant_acme"))).toHaveLength(catalog.byTier.tenant.length);
    } finally {
      await fresh.drop();
    }
  });
});
