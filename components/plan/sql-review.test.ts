import { describe, expect, it } from "vitest";
import { findingsByStatement } from "./sql-review";

const statements = [
  { sql: "CREATE TABLE a (id int)", line: 4, kind: "CreateStmt" },
  { sql: "CREATE INDEX a_id ON a (id)", line: 9, kind: "IndexStmt" },
  { sql: "ALTER TABLE a ADD COLUMN b int", line: 12, kind: "AlterTableStmt" },
];

describe("findingsByStatement", () => {
  it("puts a finding on the statement whose lines hold it", () => {
    const rows = findingsByStatement(statements, [
      { code: "non_concurrent_index", message: "blocks writes", line: 9 },
      { code: "x", message: "inside the ALTER", line: 13 },
    ]);
    expect(rows.map((r) => r.findings.map((f) => f.code))).toEqual([[], ["non_concurrent_index"], ["x"]]);
  });

  it("gives a finding above the first statement (a header) to the first one", () => {
    expect(findingsByStatement(statements, [{ code: "h", message: "header", line: 1 }])[0]!.findings).toHaveLength(1);
  });

  it("has no rows without statements", () => {
    expect(findingsByStatement([], [{ code: "h", message: "m", line: 1 }])).toEqual([]);
  });
});
