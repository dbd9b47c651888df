import { beforeAll, describe, expect, it } from "vitest";
import { assembleCatalog, buildCatalog } from "./catalog";
import { planMigrations } from "./plan";
import { loadSqlParser } from "./sql-parser";
import { targetKey, type Catalog, type HistoryRow, type Target } from "./types";

const up = (...body: string[]) => `-- migrate:up\n${body.join("\n")}\n-- migrate:down\nSELECT 1;\n`;

let catalog: Catalog;
beforeAll(async () => {
  await loadSqlParser();
  catalog = makeCatalog();
});

function makeCatalog(overrides: Record<string, string> = {}): Catalog {
  const files: Record<string, string> = {
    "admin/0001_plans.sql": up("CREATE TABLE plans (id text);"),
    "shared/0001_currencies.sql": up("CREATE TABLE currencies (code text);"),
    "shared/0002_countries.sql": up("CREATE TABLE countries (code text);"),
    "tenant/0001_accounts.sql": up("CREATE TABLE accounts (id int);"),
    "tenant/0002_invoices.sql": `-- requires: shared/0001_currencies\n${up("CREATE TABLE invoices (id int);")}`,
    "tenant/0003_accounts_email.sql": up("ALTER TABLE accounts ADD COLUMN email text NOT NULL;"),
    ...overrides,
  };
  return buildCatalog("memory", Object.entries(files).map(([path, content]) => ({ path, content })));
}

const shared = (region: string): Target => ({
  connectionId: `conn-shared-${region}`,
  connectionName: `shared-${region}`,
  databaseName: `shared_${region}`,
  schemaName: "public",
  tier: "shared",
  region,
});
const tenant = (slug: string, region = "eu"): Target => ({
  ...shared(region),
  schemaName: `tenant_${slug}`,
  tier: "tenant",
  tenantId: `id-${slug}`,
});

function applied(id: string, c: Catalog = catalog, checksum?: string): HistoryRow {
  const m = c.byId.get(id)!;
  return {
    version: m.version,
    name: m.name,
    checksum: checksum ?? m.checksum,
    appliedAtMs: Date.parse("2024-01-01T00:00:00Z"),
    executionId: null,
    durationMs: 5,
    appliedBy: "ops",
    state: "applied",
  };
}

const histories = (entries: [Target, HistoryRow[]][]) => new Map(entries.map(([t, rows]) => [targetKey(t), rows]));

describe("planMigrations", () => {
  it("lists each target's pending migrations of its own tier, in order, with what the executor needs", () => {
    const eu = shared("eu");
    const plan = planMigrations({
      catalog,
      targets: [eu, tenant("acme")],
      histories: histories([[eu, [applied("shared/0001_currencies")]]]),
    });
    const [s, t] = plan.targets;
    expect(s!.pending.map((m) => m.id)).toEqual(["shared/0002_countries"]);
    expect(s!.appliedCount).toBe(1);
    expect(t!.pending.map((m) => m.id)).toEqual(["tenant/0001_accounts", "tenant/0002_invoices", "tenant/0003_accounts_email"]);
    expect(t!.pending[0]).toMatchObject({
      file: "tenant/0001_accounts.sql",
      version: "0001",
      name: "accounts",
      transactional: true,
      timeoutMs: null,
      hasDown: true,
      checksum: catalog.byId.get("tenant/0001_accounts")!.checksum,
    });
    expect(plan.totals).toMatchObject({ targets: 2, withPending: 2, blocked: 0, upToDate: 0, pendingMigrations: 4 });
  });

  it("reports an up-to-date target as such", () => {
    const eu = shared("eu");
    const plan = planMigrations({
      catalog,
      targets: [eu],
      histories: histories([[eu, [applied("shared/0001_currencies"), applied("shared/0002_countries")]]]),
    });
    expect(plan.targets[0]).toMatchObject({ status: "up_to_date", pending: [], blockedReasons: [] });
    expect(plan.totals.upToDate).toBe(1);
  });

  it("blocks a target whose applied file changed (drift)", () => {
    const t = tenant("acme");
    const plan = planMigrations({
      catalog,
      targets: [t],
      histories: histories([[t, [applied("tenant/0001_accounts", catalog, "0".repeat(64))]]]),
    });
    const tp = plan.targets[0]!;
    expect(tp.status).toBe("blocked");
    expect(tp.drift).toEqual([
      expect.objectContaining({
        id: "tenant/0001_accounts",
        file: "tenant/0001_accounts.sql",
        appliedChecksum: "0".repeat(64),
        fileChecksum: catalog.byId.get("tenant/0001_accounts")!.checksum,
      }),
    ]);
    expect(tp.blockedReasons.join()).toContain("drift");
    expect(plan.totals).toMatchObject({ blocked: 1, drift: 1 });
  });

  it("reports applied versions the catalog no longer has, and pending versions older than the newest applied", () => {
    const t = tenant("acme");
    const eu = shared("eu");
    const gone: HistoryRow = { ...applied("tenant/0001_accounts"), version: "0009", name: "removed", checksum: "x" };
    const plan = planMigrations({
      catalog,
      targets: [t],
      providers: [eu],
      histories: histories([
        [t, [applied("tenant/0001_accounts"), applied("tenant/0003_accounts_email"), gone]],
        [eu, [applied("shared/0001_currencies")]],
      ]),
    });
    const tp = plan.targets[0]!;
    expect(tp.missingFromCatalog).toEqual([expect.objectContaining({ version: "0009", name: "removed" })]);
    expect(tp.pending.map((m) => m.id)).toEqual(["tenant/0002_invoices"]);
    expect(tp.outOfOrder).toEqual([{ id: "tenant/0002_invoices", version: "0002", newestApplied: "0009" }]);
    // Neither finding blocks: the gap is applied as usual.
    expect(tp.status).toBe("pending");
  });

  it("blocks a target with an interrupted non-transactional migration and does not list it as pending", () => {
    const t = tenant("acme");
    const plan = planMigrations({
      catalog,
      targets: [t],
      histories: histories([[t, [{ ...applied("tenant/0001_accounts"), state: "started" }]]]),
    });
    const tp = plan.targets[0]!;
    expect(tp.status).toBe("blocked");
    expect(tp.interrupted).toEqual([expect.objectContaining({ version: "0001", state: "started" })]);
    expect(tp.pending.map((m) => m.id)).not.toContain("tenant/0001_accounts");
  });

  it("counts baselined rows as applied (on providers too), lists them apart, and never as interrupted", () => {
    const t = tenant("acme");
    const eu = shared("eu");
    const plan = planMigrations({
      catalog,
      targets: [t],
      providers: [eu],
      histories: histories([
        [t, [{ ...applied("tenant/0001_accounts"), state: "baselined", appliedBy: "ops" }]],
        [eu, [{ ...applied("shared/0001_currencies"), state: "baselined" }]],
      ]),
    });
    const tp = plan.targets[0]!;
    expect(tp).toMatchObject({ status: "pending", appliedCount: 1, interrupted: [], blockedReasons: [] });
    expect(tp.baselined).toEqual([{ version: "0001", name: "accounts", id: "tenant/0001_accounts" }]);
    expect(tp.pending.map((m) => m.id)).not.toContain("tenant/0001_accounts");
    expect(plan.totals.baselined).toBe(1);
  });

  it("compares versions as numbers: a history row 1 is file 0001, and 9 is older than 10", () => {
    const numbered = buildCatalog(
      "memory",
      Object.entries({
        "tenant/0001_a.sql": up("SELECT 1;"),
        "tenant/9_b.sql": up("SELECT 9;"),
        "tenant/10_c.sql": up("SELECT 10;"),
      }).map(([path, content]) => ({ path, content })),
    );
    const t = tenant("acme");
    const row = (version: string, name: string, id: string): HistoryRow => ({ ...applied(id, numbered), version, name });
    const plan = planMigrations({
      catalog: numbered,
      targets: [t],
      histories: histories([[t, [row("1", "a", "tenant/0001_a"), row("10", "c", "tenant/10_c")]]]),
    });
    const tp = plan.targets[0]!;
    expect(tp.pending.map((m) => m.id)).toEqual(["tenant/9_b"]);
    expect(tp.outOfOrder).toEqual([{ id: "tenant/9_b", version: "9", newestApplied: "10" }]);
    expect(tp.drift).toEqual([]);
  });

  it("blocks the targets of a tier whose catalog has a problem, naming it, and plans the other tiers", () => {
    const broken = assembleCatalog(
      "memory",
      Object.entries({
        "admin/0001_plans.sql": up("CREATE TABLE plans (id text);"),
        "tenant/0001_accounts.sql": up("CREATE TABLE accounts (id int);"),
        "tenant/0002_contacts.sql": "-- migrate:up\nCREATE TABLE contacts (id int,);\n",
      }).map(([path, content]) => ({ path, content })),
    );
    const admin: Target = { ...shared("eu"), connectionId: "conn-admin", schemaName: "public", tier: "admin", region: null };
    const t = tenant("acme");
    const plan = planMigrations({ catalog: broken, targets: [admin, t], histories: histories([[t, [applied("tenant/0001_accounts", broken)]]]) });
    const [a, tp] = plan.targets;
    expect(a).toMatchObject({ status: "pending", blockedReasons: [] });
    expect(a!.pending.map((m) => m.id)).toEqual(["admin/0001_plans"]);
    expect(tp).toMatchObject({ status: "blocked", pending: [], appliedCount: 1 });
    expect(tp!.blockedReasons).toEqual([expect.stringMatching(/^the catalog's tenant tier has a problem: tenant\/0002_contacts\.sql:2: syntax error/)]);
  });

  describe("requirements on other targets", () => {
    it("are met by the shared target of the tenant's own region", () => {
      const eu = shared("eu");
      const us = shared("us");
      const plan = planMigrations({
        catalog,
        targets: [tenant("acme", "eu")],
        providers: [us, eu],
        histories: histories([
          [eu, [applied("shared/0001_currencies")]],
          [us, []],
        ]),
      });
      expect(plan.targets[0]).toMatchObject({ status: "pending", crossTarget: [] });
    });

    it("are reported with the provider that will apply them in the same plan", () => {
      const eu = shared("eu");
      const plan = planMigrations({ catalog, targets: [eu, tenant("acme")], histories: new Map() });
      const tp = plan.targets[1]!;
      expect(tp.status).toBe("pending");
      expect(tp.crossTarget).toEqual([
        {
          migrationId: "tenant/0002_invoices",
          requires: "shared/0001_currencies",
          provider: expect.objectContaining({ key: targetKey(eu), tier: "shared", region: "eu" }),
          willApplyInPlan: true,
          providerHelps: true,
        },
      ]);
    });

    it("block the target when the provider is outside the plan and has not applied them", () => {
      const eu = shared("eu");
      const plan = planMigrations({ catalog, targets: [tenant("acme")], providers: [eu], histories: new Map() });
      const tp = plan.targets[0]!;
      expect(tp.crossTarget[0]).toMatchObject({ willApplyInPlan: false, provider: expect.objectContaining({ key: targetKey(eu) }) });
      expect(tp.status).toBe("blocked");
    });

    it("block the target when the provider is itself blocked by drift", () => {
      const eu = shared("eu");
      const plan = planMigrations({
        catalog,
        targets: [eu, tenant("acme")],
        histories: histories([[eu, [applied("shared/0002_countries", catalog, "f".repeat(64))]]]),
      });
      expect(plan.targets[0]!.status).toBe("blocked");
      expect(plan.targets[1]!.crossTarget[0]!.willApplyInPlan).toBe(false);
      expect(plan.targets[1]!.status).toBe("blocked");
    });

    it("on the region's shared target block a tenant in a dedicated database: the shared objects are not in its database", () => {
      const eu = shared("eu");
      const dedicated: Target = { ...tenant("bigcorp"), connectionId: "conn-bigcorp", connectionName: "bigcorp-db", databaseName: "bigcorp" };
      const plan = planMigrations({
        catalog,
        targets: [eu, dedicated],
        histories: histories([[eu, [applied("shared/0001_currencies")]]]),
      });
      const tp = plan.targets[1]!;
      expect(tp.status).toBe("blocked");
      expect(tp.blockedReasons).toEqual([
        "tenant/0002_invoices requires shared/0001_currencies, which is applied in shared-eu's database (shared_eu), not in this tenant's own database bigcorp: its objects are not visible here. Move the tenant into its region's shared database, or provide the objects another way and drop the requirement",
      ]);
      expect(tp.crossTarget).toEqual([
        expect.objectContaining({
          requires: "shared/0001_currencies",
          willApplyInPlan: false,
          providerHelps: false,
          provider: expect.objectContaining({ key: targetKey(eu) }),
        }),
      ]);
      // A requirement on the admin tier is about order, not visibility (no tenant shares its database).
      const adminRequires = makeCatalog({ "tenant/0004_plan.sql": `-- requires: admin/0001_plans\n${up("ALTER TABLE accounts ADD COLUMN plan text;")}` });
      const admin: Target = { connectionId: "conn-admin", connectionName: "admin", databaseName: "admin", schemaName: "public", tier: "admin", region: null };
      const withAdmin = planMigrations({
        catalog: adminRequires,
        targets: [dedicated],
        providers: [admin, eu],
        histories: histories([
          [admin, [applied("admin/0001_plans", adminRequires)]],
          [dedicated, ["tenant/0001_accounts", "tenant/0002_invoices", "tenant/0003_accounts_email"].map((id) => applied(id, adminRequires))],
        ]),
      });
      expect(withAdmin.targets[0]).toMatchObject({ status: "pending", blockedReasons: [] });
    });

    it("block the target when no provider is known for its region", () => {
      const plan = planMigrations({ catalog, targets: [tenant("acme", "ap")], providers: [shared("eu")], histories: new Map() });
      const tp = plan.targets[0]!;
      expect(tp.crossTarget[0]!.provider).toBeNull();
      expect(tp.blockedReasons.join()).toContain("region ap");
    });
  });

  it("carries lint warnings of pending migrations, per target and once per plan", () => {
    const plan = planMigrations({
      catalog,
      targets: [shared("eu"), tenant("a"), tenant("b")],
      histories: new Map(),
    });
    expect(plan.targets[1]!.warnings.map((w) => w.code)).toEqual(["add_column_not_null_without_default"]);
    expect(plan.warnings).toEqual([
      expect.objectContaining({ code: "add_column_not_null_without_default", file: "tenant/0003_accounts_email.sql", line: 2 }),
    ]);
    expect(plan.totals.warnings).toBe(2);
  });

  describe("fingerprint", () => {
    const fleet = () => [shared("eu"), tenant("a"), tenant("b")];

    it("does not depend on the order targets are listed in", () => {
      const a = planMigrations({ catalog, targets: fleet(), histories: new Map() });
      const b = planMigrations({ catalog, targets: fleet().reverse(), histories: new Map() });
      expect(b.fingerprint).toBe(a.fingerprint);
      expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    });

    it("changes when a target joins the fleet, when history moves on, and when a file changes", () => {
      const base = planMigrations({ catalog, targets: fleet(), histories: new Map() }).fingerprint;
      const more = planMigrations({ catalog, targets: [...fleet(), tenant("c")], histories: new Map() }).fingerprint;
      const eu = shared("eu");
      const progressed = planMigrations({
        catalog,
        targets: fleet(),
        histories: histories([[eu, [applied("shared/0001_currencies")]]]),
      }).fingerprint;
      const edited = makeCatalog({ "tenant/0001_accounts.sql": up("CREATE TABLE accounts (id bigint);") });
      const changedFile = planMigrations({ catalog: edited, targets: fleet(), histories: new Map() }).fingerprint;
      expect(new Set([base, more, progressed, changedFile]).size).toBe(4);
    });
  });
});

describe("targets at head, planned again from the same history rows", () => {
  const atHead = () => ["tenant/0001_accounts", "tenant/0002_invoices", "tenant/0003_accounts_email"].map((id) => applied(id));
  const sharedRows = () => ["shared/0001_currencies", "shared/0002_countries"].map((id) => applied(id));

  it("reuse the first plan's result and fingerprint while target and catalog are the same", () => {
    const target = tenant("settled");
    const histories = new Map([[targetKey(target), atHead()], [targetKey(shared("eu")), sharedRows()]]);
    const first = planMigrations({ catalog, targets: [target], providers: [shared("eu")], histories });
    const second = planMigrations({ catalog, targets: [{ ...target }], providers: [shared("eu")], histories });
    expect(second.targets[0]).toBe(first.targets[0]);
    expect(second.targets[0]!.status).toBe("up_to_date");
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it("plan anew for a renamed database, a moved tenant or a new catalog", () => {
    const target = tenant("moving");
    const rows = atHead();
    const histories = new Map([[targetKey(target), rows]]);
    const first = planMigrations({ catalog, targets: [target], histories });

    const renamed = planMigrations({ catalog, targets: [{ ...target, connectionName: "shared-eu-renamed" }], histories });
    expect(renamed.targets[0]).not.toBe(first.targets[0]);
    expect(renamed.targets[0]!.target.connectionName).toBe("shared-eu-renamed");

    const moved = planMigrations({ catalog, targets: [{ ...target, region: "us" }], histories });
    expect(moved.targets[0]!.target.region).toBe("us");
    expect(moved.fingerprint).not.toBe(first.fingerprint);

    const grown = makeCatalog({ "tenant/0004_accounts_name.sql": up("ALTER TABLE accounts ADD COLUMN name text;") });
    const later = planMigrations({ catalog: grown, targets: [target], histories });
    expect(later.targets[0]).toMatchObject({ status: "pending" });
    expect(later.targets[0]!.pending.map((p) => p.id)).toEqual(["tenant/0004_accounts_name"]);
    // And back: the same rows under the first catalog are at head again.
    expect(planMigrations({ catalog, targets: [target], histories }).targets[0]!.status).toBe("up_to_date");
  });

  it("never reuse a target that has something to do or to report", () => {
    const target = tenant("behind");
    const rows = atHead().slice(0, 2);
    const histories = new Map([[targetKey(target), rows], [targetKey(shared("eu")), sharedRows()]]);
    const first = planMigrations({ catalog, targets: [target], providers: [shared("eu")], histories });
    const second = planMigrations({ catalog, targets: [target], providers: [shared("eu")], histories });
    expect(first.targets[0]!.status).toBe("pending");
    expect(second.targets[0]).not.toBe(first.targets[0]);
    expect(second.targets[0]!.pending.map((p) => p.id)).toEqual(["tenant/0003_accounts_email"]);
  });
});
