import { beforeAll, describe, expect, it } from "vitest";
import { buildCatalog } from "./catalog";
import { planMigrations } from "./plan";
import { planWithProviders, providersOffer } from "./plan-with-providers";
import { loadSqlParser } from "./sql-parser";
import { targetKey, type Catalog, type HistoryRow, type Target } from "./types";

const up = (...body: string[]) => `-- migrate:up\n${body.join("\n")}\n-- migrate:down\nSELECT 1;\n`;

let catalog: Catalog;
beforeAll(async () => {
  await loadSqlParser();
  catalog = buildCatalog(
    "memory",
    Object.entries({
      "admin/0001_plans.sql": up("CREATE TABLE plans (id text);"),
      "shared/0001_currencies.sql": `-- requires: admin/0001_plans\n${up("CREATE TABLE currencies (code text);")}`,
      "tenant/0001_accounts.sql": up("CREATE TABLE accounts (id int);"),
      "tenant/0002_invoices.sql": `-- requires: shared/0001_currencies\n${up("CREATE TABLE invoices (id int);")}`,
    }).map(([path, content]) => ({ path, content })),
  );
});

const admin: Target = { connectionId: "conn-admin", connectionName: "admin", databaseName: "admin", schemaName: "public", tier: "admin", region: null };
const shared = (region: string): Target => ({
  connectionId: `conn-shared-${region}`,
  connectionName: `shared-${region}`,
  databaseName: `shared_${region}`,
  schemaName: "public",
  tier: "shared",
  region,
});
const tenant = (slug: string, region = "eu"): Target => ({ ...shared(region), schemaName: `tenant_${slug}`, tier: "tenant", tenantId: `id-${slug}` });

function applied(id: string): HistoryRow {
  const m = catalog.byId.get(id)!;
  return { version: m.version, name: m.name, checksum: m.checksum, appliedAtMs: 0, executionId: null, durationMs: 1, appliedBy: "ops", state: "applied" };
}

describe("planWithProviders", () => {
  it("adds the region's shared target and, for it, the admin target: the tenant plan becomes runnable", () => {
    const input = { catalog, targets: [tenant("acme")], providers: [admin, shared("eu"), shared("us")], histories: new Map() };
    const { plan, added } = planWithProviders(input);
    expect(added.map(targetKey)).toEqual([targetKey(admin), targetKey(shared("eu"))]);
    expect(plan.targets.map((t) => [t.key, t.status])).toEqual([
      [targetKey(admin), "pending"],
      [targetKey(shared("eu")), "pending"],
      [targetKey(tenant("acme")), "pending"],
    ]);
    // The other region's shared target is not needed and stays out.
    expect(plan.targets.some((t) => t.key === targetKey(shared("us")))).toBe(false);
  });

  it("adds nothing when the providers already applied what is required", () => {
    const eu = shared("eu");
    const histories = new Map([
      [targetKey(admin), [applied("admin/0001_plans")]],
      [targetKey(eu), [applied("shared/0001_currencies")]],
    ]);
    const { plan, added } = planWithProviders({ catalog, targets: [tenant("acme")], providers: [admin, eu], histories });
    expect(added).toEqual([]);
    expect(plan.targets.map((t) => t.status)).toEqual(["pending"]);
  });

  it("never adds a shared target for a tenant in a database of its own: applying there would not help it", () => {
    const eu = shared("eu");
    const dedicated: Target = { ...tenant("bigcorp"), connectionId: "conn-bigcorp", connectionName: "bigcorp-db", databaseName: "bigcorp" };
    const histories = new Map([[targetKey(admin), [applied("admin/0001_plans")]]]);
    const input = { catalog, targets: [dedicated], providers: [admin, eu], histories };
    expect(planWithProviders(input).added).toEqual([]);
    expect(providersOffer(input, planWithProviders(input).plan)).toBeNull();
  });
});

describe("providersOffer", () => {
  it("names the providers and how many blocked targets would run", () => {
    const input = { catalog, targets: [tenant("acme"), tenant("globex")], providers: [admin, shared("eu")], histories: new Map() };
    const plan = planMigrations(input);
    expect(plan.targets.map((t) => t.status)).toEqual(["blocked", "blocked"]);
    const offer = providersOffer(input, plan);
    expect(offer?.added.map(targetKey)).toEqual([targetKey(admin), targetKey(shared("eu"))]);
    expect(offer?.unblocks).toBe(2);
  });

  it("is null when nothing outside the plan is waited for", () => {
    const input = { catalog, targets: [admin, shared("eu"), tenant("acme")], providers: [], histories: new Map() };
    const plan = planMigrations(input);
    expect(plan.targets.map((t) => t.status)).toEqual(["pending", "pending", "pending"]);
    expect(providersOffer(input, plan)).toBeNull();
  });
});
