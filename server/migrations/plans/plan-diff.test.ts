import { describe, expect, it } from "vitest";
import { diffPlans, LIST_LIMIT, summarizeChanges, type PlanSnapshot } from "./plan-diff";

const base: PlanSnapshot = {
  v: 1,
  fingerprint: "a",
  catalog: { "tenant/0001_a": "c1", "tenant/0002_b": "c2" },
  targets: {
    "db1/tenant_x": ["shared-eu/tenant_x", "pending", "tenant/0001_a,tenant/0002_b"],
    "db1/tenant_y": ["shared-eu/tenant_y", "pending", "tenant/0002_b"],
  },
};

describe("plan diff", () => {
  it("names targets added and removed, pending lists that changed, and catalog changes", () => {
    const after: PlanSnapshot = {
      v: 1,
      fingerprint: "b",
      catalog: { "tenant/0001_a": "c1", "tenant/0002_b": "CHANGED", "tenant/0003_c": "c3" },
      targets: {
        "db1/tenant_x": ["shared-eu/tenant_x", "pending", "tenant/0002_b,tenant/0003_c"],
        "db1/tenant_z": ["shared-eu/tenant_z", "pending", "tenant/0001_a"],
      },
    };
    const changes = diffPlans(base, after);
    expect(changes).toMatchObject({
      targets_added: ["shared-eu/tenant_z"],
      targets_removed: ["shared-eu/tenant_y"],
      migrations_added: ["tenant/0003_c"],
      migrations_removed: [],
      checksums_changed: ["tenant/0002_b"],
      targets_changed: [
        {
          target: "shared-eu/tenant_x",
          before: { status: "pending", pending: ["tenant/0001_a", "tenant/0002_b"] },
          after: { status: "pending", pending: ["tenant/0002_b", "tenant/0003_c"] },
        },
      ],
    });
    expect(summarizeChanges(changes)).toContain("1 target(s) added (shared-eu/tenant_z)");
    expect(summarizeChanges(changes)).toContain("file(s) changed: tenant/0002_b");
  });

  it("finds nothing between a plan and itself", () => {
    expect(diffPlans(base, base).counts).toEqual({
      targets_added: 0,
      targets_removed: 0,
      targets_changed: 0,
      migrations_added: 0,
      migrations_removed: 0,
      checksums_changed: 0,
    });
  });

  it("caps each list but keeps full counts", () => {
    const many: PlanSnapshot = { ...base, targets: { ...base.targets } };
    for (let i = 0; i < 120; i++) many.targets[`db2/t${i}`] = [`shared-us/t${i}`, "pending", ""];
    const changes = diffPlans(base, many);
    expect(changes.targets_added).toHaveLength(LIST_LIMIT);
    expect(changes.counts.targets_added).toBe(120);
  });
});
