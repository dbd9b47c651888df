import { describe, expect, it } from "vitest";
import { dropSummary, formatBytes, rowsLabel } from "./schema-drop-summary";

describe("the preview of dropping a schema, in words", () => {
  it("sizes in powers of 1024", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(8192)).toBe("8.0 kB");
    expect(formatBytes(1.5 * 1024 * 1024)).toBe("1.5 MB");
  });

  it("counts what goes, singular and plural", () => {
    const relation = { name: "accounts", kind: "table" as const, rows: 1, rows_estimate: null, bytes: 8192 };
    expect(
      dropSummary({ relations: [relation], sequences: [], types: [{ name: "mood", kind: "enum" }], functions: [], total_rows: 1, total_bytes: 8192 }),
    ).toBe("1 table or view (1 row, 8.0 kB), 0 sequences, 1 type, 0 functions");
    expect(dropSummary({ relations: [relation, relation], sequences: [{ name: "s" }], types: [], functions: [], total_rows: 12_345, total_bytes: 0 })).toBe(
      "2 tables and views (12,345 rows, 0 B), 1 sequence, 0 types, 0 functions",
    );
  });

  it("says a table too big to count shows its estimate, and views hold no rows of their own", () => {
    const base = { name: "t", bytes: 0 };
    expect(rowsLabel({ ...base, kind: "table", rows: 0, rows_estimate: 10 })).toBe("0");
    expect(rowsLabel({ ...base, kind: "table", rows: null, rows_estimate: 2_000_000 })).toBe("≈ 2,000,000");
    expect(rowsLabel({ ...base, kind: "table", rows: null, rows_estimate: null })).toBe("not counted");
    expect(rowsLabel({ ...base, kind: "view", rows: null, rows_estimate: null })).toBe("—");
  });
});
