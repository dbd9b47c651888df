import { describe, expect, it } from "vitest";
import type { TargetMigrationResult } from "../../domain/executions";
import type { Catalog, Migration } from "../engine/types";
import { parseReviewPolicy } from "./review-policy";
import { sizeReview, type RehearsedTarget } from "./size-review";

const migration: Migration = {
  id: "tenant/0007_orders_total",
  tier: "tenant",
  version: "0007",
  name: "orders_total",
  file: "tenant/0007_orders_total.sql",
  checksum: "c7",
  requires: [],
  transactional: true,
  timeoutMs: null,
  up: {
    line: 1,
    statements: [
      { sql: "ALTER TABLE orders ALTER COLUMN total TYPE numeric", line: 2, kind: "AlterTableStmt", relations: ["orders"] },
      { sql: "CREATE INDEX orders_total_idx ON orders (total)", line: 4, kind: "IndexStmt", relations: ["orders"] },
    ],
  },
  down: null,
  warnings: [],
};
const catalog = { byId: new Map([[migration.id, migration]]) } as unknown as Catalog;

const result = (rows: number | null, bytes: number, durationMs: number, checksum = "c7"): TargetMigrationResult => ({
  id: migration.id,
  version: "0007",
  name: "orders_total",
  tier: "tenant",
  checksum,
  status: "would_apply",
  durationMs,
  relations: [{ name: "tenant_x.orders", lock: "AccessExclusiveLock", rows, bytes, rewritten: true }],
});
const target = (schema: string, r: TargetMigrationResult): RehearsedTarget => ({
  connectionId: "db1",
  connectionName: "shared-eu",
  schemaName: schema,
  executionId: "e1",
  migrations: [r],
});

describe("size review", () => {
  const policy = parseReviewPolicy(
    JSON.stringify({ rules: { rewrite_of_large_table: "block" }, large_table: { access_exclusive_rows: 1000, index_rows: 1000, rewrite_bytes: 1_000_000 } }),
    "p.json",
  );

  it("flags each rule on the statement that takes it, biggest target first, with the lock time from the duration per row", () => {
    const review = sizeReview(catalog, [target("tenant_a", result(4000, 2_000_000, 400)), target("tenant_b", result(2000, 500_000, 200)), target("tenant_c", result(10, 8192, 5))], policy);
    expect(review.rehearsed_targets).toBe(3);
    const byRule = Object.fromEntries(review.flags.map((f) => [f.rule, f]));
    expect(Object.keys(byRule).sort()).toEqual(["access_exclusive_on_large_table", "index_build_on_large_table", "rewrite_of_large_table"]);
    expect(byRule.index_build_on_large_table).toMatchObject({ line: 4, targets: 2, max_rows: 4000, level: "warn" });
    expect(byRule.access_exclusive_on_large_table).toMatchObject({ line: 2, targets: 2, relation: "orders", lock: "AccessExclusiveLock" });
    // Only tenant_a's table is over 1 MB; the policy blocks on it.
    expect(byRule.rewrite_of_large_table).toMatchObject({ line: 2, targets: 1, level: "block", max_bytes: 2_000_000 });
    const flag = byRule.access_exclusive_on_large_table!;
    expect(flag.ms_per_row).toBeCloseTo(0.1);
    expect(flag.biggest.map((b) => [b.schema_name, b.estimated_lock_ms])).toEqual([["tenant_a", 400], ["tenant_b", 200]]);
    expect(flag.message).toBe(
      "tenant/0007_orders_total.sql:2: orders holds 4,000 rows on shared-eu/tenant_a (2 targets over the threshold); the statement holds ACCESS EXCLUSIVE (no reads, no writes) on a large table until the migration commits, about 400 ms there",
    );
  });

  it("ignores measures of another version of the file, and tables never analyzed for row rules", () => {
    const review = sizeReview(catalog, [target("tenant_a", result(4000, 10, 400, "old")), target("tenant_b", result(null, 10, 400))], policy);
    expect(review.rehearsed_targets).toBe(1);
    expect(review.flags).toEqual([]);
  });
});
