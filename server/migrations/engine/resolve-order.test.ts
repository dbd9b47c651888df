import { beforeAll, describe, expect, it } from "vitest";
import { CatalogLoadError } from "./catalog-error";
import { parseMigrationFile } from "./parse-migration-file";
import { resolveOrder } from "./resolve-order";
import { loadSqlParser } from "./sql-parser";

beforeAll(async () => {
  await loadSqlParser();
});

/** Files as `path → requires`; every file's body is a trivial statement. */
function order(files: Record<string, string[]>) {
  const parsed = Object.entries(files).map(([file, requires]) =>
    parseMigrationFile(file, `${requires.length ? `-- requires: ${requires.join(", ")}\n` : ""}-- migrate:up\nSELECT 1;\n`),
  );
  return resolveOrder(
    parsed.map((p) => p.migration),
    new Map(parsed.map((p) => [p.migration.id, p.requireLines])),
  ).map((m) => m.id);
}

describe("resolveOrder", () => {
  it("without requires: tiers admin → shared → analytics → tenant, then versions, whatever the input order", () => {
    const files = {
      "tenant/0010_z.sql": [],
      "tenant/0002_b.sql": [],
      "analytics/0001_a.sql": [],
      "shared/0001_a.sql": [],
      "admin/0002_b.sql": [],
      "admin/0001_a.sql": [],
    };
    const expected = ["admin/0001_a", "admin/0002_b", "shared/0001_a", "analytics/0001_a", "tenant/0002_b", "tenant/0010_z"];
    expect(order(files)).toEqual(expected);
    expect(order(Object.fromEntries(Object.entries(files).reverse()))).toEqual(expected);
  });

  it("moves an earlier tier's migration after the later-tier migration it requires, and no further", () => {
    expect(
      order({
        "admin/0001_plans.sql": ["analytics/0002_rollups"],
        "admin/0002_flags.sql": [],
        "analytics/0001_events.sql": [],
        "analytics/0002_rollups.sql": [],
        "tenant/0001_accounts.sql": [],
      }),
    ).toEqual(["analytics/0001_events", "analytics/0002_rollups", "admin/0001_plans", "admin/0002_flags", "tenant/0001_accounts"]);
  });

  it("keeps version order inside a tier even when only a later version is required", () => {
    const ids = order({
      "shared/0001_a.sql": [],
      "shared/0002_b.sql": [],
      "admin/0001_x.sql": ["shared/0002_b"],
    });
    expect(ids).toEqual(["shared/0001_a", "shared/0002_b", "admin/0001_x"]);
  });

  it("reports a cycle with every step and the line of the requires that closes it", () => {
    let error: unknown;
    try {
      order({ "shared/0001_a.sql": ["tenant/0001_b"], "tenant/0001_b.sql": ["shared/0001_a"] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogLoadError);
    expect(error).toMatchObject({ code: "dependency_cycle", file: "shared/0001_a.sql", line: 1 });
    expect((error as Error).message).toContain("shared/0001_a → tenant/0001_b (requires) → shared/0001_a (requires)");
  });
});
