import { describe, expect, it } from "vitest";
import type { ExecutionTarget, TargetMigration } from "@/components/api/execution-types";
import { rollbackSummary } from "./rollback-summary";

const m = (id: string, status: TargetMigration["status"]): TargetMigration => ({
  id,
  version: id.split("/")[1]!.slice(0, 4),
  name: "",
  tier: id.split("/")[0]!,
  checksum: "",
  status,
  duration_ms: 1,
  error: null,
  locks: null,
});

const t = (schema: string, migrations: TargetMigration[]) => ({ connection_name: "shared-eu", schema_name: schema, migrations }) as ExecutionTarget;

describe("rollbackSummary", () => {
  it("lists what each target applied, newest first, and counts targets per migration", () => {
    const summary = rollbackSummary([
      t("tenant_a", [m("tenant/0001_accounts", "applied"), m("tenant/0002_contacts", "applied")]),
      t("tenant_b", [m("tenant/0001_accounts", "applied"), m("tenant/0002_contacts", "failed")]),
      t("tenant_c", [m("tenant/0001_accounts", "skipped")]),
    ]);
    expect(summary.migrations).toEqual([
      { id: "tenant/0002_contacts", targets: 1 },
      { id: "tenant/0001_accounts", targets: 2 },
    ]);
    expect(summary.targets).toEqual([
      { name: "shared-eu/tenant_a", migrations: ["tenant/0002_contacts", "tenant/0001_accounts"] },
      { name: "shared-eu/tenant_b", migrations: ["tenant/0001_accounts"] },
    ]);
    expect(summary.total).toBe(3);
  });

  it("is empty when nothing was applied", () => {
    expect(rollbackSummary([t("tenant_a", [m("tenant/0001_accounts", "failed")])])).toEqual({ migrations: [], targets: [], total: 0 });
  });
});
