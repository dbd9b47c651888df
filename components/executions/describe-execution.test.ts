import { describe, expect, it } from "vitest";
import { executionTitle, migrationRange } from "./describe-execution";

const NO_PARAMS = { region: null, tenant_ids: null, database_id: null, schema_name: null, tenant_id: null, include_providers: false };

const span = (count: number, first: string, last: string) => {
  const ref = (id: string) => ({ id, tier: id.split("/")[0]!, version: id.split("/")[1]!.split("_")[0]! });
  return { count, first: ref(first), last: ref(last) };
};

describe("execution titles", () => {
  it("name the database or tenant and the range of migrations", () => {
    expect(
      executionTitle({
        kind: "migrate",
        dry_run: false,
        scope: "single",
        params: { ...NO_PARAMS, database_id: "8b0e5f8e-0000-4000-8000-000000000000" },
        metadata: { subject: "shared-eu-west-1", migrations: span(6, "tenant/0001_accounts", "tenant/0006_accounts_plan") },
      }),
    ).toBe("Migration · shared-eu-west-1 · tenant 0001–0006 (6 migrations)");
    expect(
      executionTitle({
        kind: "rehearsal",
        dry_run: true,
        scope: "single",
        params: NO_PARAMS,
        metadata: { subject: "acme on shared-eu-west-1", migrations: span(1, "tenant/0003_invoices", "tenant/0003_invoices") },
      }),
    ).toBe("Rehearsal · acme on shared-eu-west-1 · tenant/0003_invoices");
  });

  it("span tiers, and fall back to the scope for executions recorded before", () => {
    expect(migrationRange({ migrations: span(9, "shared/0001_currencies", "tenant/0006_accounts_plan") })).toBe(
      "shared 0001–tenant 0006 (9 migrations)",
    );
    expect(executionTitle({ kind: "migrate", dry_run: false, scope: "regional", params: { ...NO_PARAMS, region: "eu-west-1" }, metadata: {} })).toBe("Migration · Region eu-west-1");
    expect(executionTitle({ kind: "rollback", dry_run: false, scope: "all", params: NO_PARAMS, metadata: { rollback_of: "0123456789abcdef" } })).toBe("Rollback of 01234567");
  });
});
