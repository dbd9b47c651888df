import { beforeAll, describe, expect, it } from "vitest";
import { classifyStatement } from "./classify-statement";
import { loadSqlParser, splitStatements } from "./sql-parser";

beforeAll(async () => {
  await loadSqlParser();
});

/** Classifies the last statement of `sql`, treating tables created by the earlier ones as new. */
function classify(sql: string) {
  const statements = splitStatements(sql);
  const newTables = new Set<string>();
  let last;
  for (const s of statements) {
    last = classifyStatement(s.node, newTables);
    for (const t of last.createsTables) newTables.add(t);
  }
  return last!;
}

const codes = (sql: string) => classify(sql).warnings.map((w) => w.code);

describe("statements PostgreSQL refuses inside a transaction block", () => {
  it.each([
    ["CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY"],
    ["CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)", "CREATE INDEX CONCURRENTLY"],
    ["DROP INDEX CONCURRENTLY IF EXISTS i", "DROP INDEX CONCURRENTLY"],
    ["REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY"],
    ["REINDEX DATABASE app", "REINDEX DATABASE"],
    ["VACUUM (ANALYZE) t", "VACUUM"],
    ["ALTER SYSTEM SET max_connections = 200", "ALTER SYSTEM"],
    ["CREATE DATABASE app2", "CREATE DATABASE"],
    ["DROP DATABASE IF EXISTS app2", "DROP DATABASE"],
    ["CREATE TABLESPACE t LOCATION '/x'", "CREATE TABLESPACE"],
    ["DROP TABLESPACE t", "DROP TABLESPACE"],
    ["CLUSTER", "CLUSTER without a table"],
  ])("%s", (sql, reason) => {
    expect(classify(sql).nonTransactional).toBe(reason);
  });

  it.each([
    "CREATE INDEX i ON t (a)",
    "ANALYZE t",
    "ALTER TYPE mood ADD VALUE 'meh'",
    "REINDEX TABLE t",
    "DROP INDEX i",
    "CREATE TABLE t (a int)",
  ])("runs in a transaction: %s", (sql) => {
    expect(classify(sql).nonTransactional).toBeNull();
  });

  it("flags statements that would take the rest of the migration out of the target's schema or role", () => {
    for (const sql of ["SET search_path TO x", "SET LOCAL search_path = x", "RESET search_path", "RESET ALL", "SET ROLE r", "RESET ROLE", "SET SESSION AUTHORIZATION u", "DISCARD ALL", "SELECT pg_catalog.set_config('search_path', 'x', true)", "SELECT set_config('ROLE', 'r', false)"]) {
      expect(classify(sql).escapesTarget, sql).not.toBeNull();
    }
    for (const sql of ["SET statement_timeout = 0", "SET LOCAL lock_timeout = '1s'", "SELECT set_config('work_mem', '64MB', true)", "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path = public AS 'SELECT 1'"]) {
      expect(classify(sql).escapesTarget, sql).toBeNull();
    }
  });

  it("flags transaction control", () => {
    expect(classify("COMMIT").transactionControl).toBe(true);
    expect(classify("SAVEPOINT s").transactionControl).toBe(true);
    expect(classify("SELECT 1").transactionControl).toBe(false);
  });
});

describe("warnings for destructive or lock-heavy statements on existing tables", () => {
  it.each([
    ["DROP TABLE invoices", "drop_table"],
    ["DROP SCHEMA old CASCADE", "drop_schema"],
    ["ALTER TABLE invoices DROP COLUMN memo", "drop_column"],
    ["TRUNCATE invoices", "truncate"],
    ["ALTER TABLE invoices ALTER COLUMN total TYPE numeric(14, 2)", "alter_column_type"],
    ["ALTER TABLE invoices ADD COLUMN owner uuid NOT NULL", "add_column_not_null_without_default"],
    ["ALTER TABLE invoices ALTER COLUMN memo SET NOT NULL", "set_not_null"],
    ["CREATE INDEX invoices_due_idx ON invoices (due_date)", "non_concurrent_index"],
    ["ALTER TABLE invoices ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id)", "validating_constraint"],
    ["ALTER TABLE invoices ADD CONSTRAINT positive CHECK (total >= 0)", "validating_constraint"],
    ["ALTER TABLE invoices ADD CONSTRAINT number_uq UNIQUE (number)", "constraint_builds_index"],
    ["ALTER TABLE invoices RENAME COLUMN memo TO note", "rename"],
    ["ALTER TABLE invoices RENAME TO bills", "rename"],
    ["DROP INDEX invoices_due_idx", "drop_index_blocking"],
    ["LOCK TABLE invoices IN ACCESS EXCLUSIVE MODE", "lock_table"],
    ["DELETE FROM invoices", "delete_all_rows"],
    ["UPDATE invoices SET memo = ''", "update_all_rows"],
    ["VACUUM FULL invoices", "vacuum_full"],
  ])("%s → %s", (sql, code) => {
    expect(codes(sql)).toContain(code);
  });

  it.each([
    "ALTER TABLE invoices ADD COLUMN owner uuid NOT NULL DEFAULT gen_random_uuid()",
    "ALTER TABLE invoices ADD COLUMN memo text",
    "ALTER TABLE invoices ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID",
    "ALTER TABLE invoices VALIDATE CONSTRAINT fk",
    "ALTER TABLE invoices ADD CONSTRAINT number_uq UNIQUE USING INDEX invoices_number_idx",
    "CREATE INDEX CONCURRENTLY invoices_due_idx ON invoices (due_date)",
    "DELETE FROM invoices WHERE status = 'void'",
    "DROP INDEX CONCURRENTLY invoices_due_idx",
  ])("no warning: %s", (sql) => {
    expect(codes(sql)).toEqual([]);
  });

  it("says nothing about tables created earlier in the same file: they are new and empty", () => {
    const created = "CREATE TABLE notes (id int, body text);";
    expect(codes(`${created} CREATE INDEX notes_body_idx ON notes (body)`)).toEqual([]);
    expect(codes(`${created} ALTER TABLE notes ADD COLUMN author text NOT NULL`)).toEqual([]);
    expect(codes(`${created} ALTER TABLE notes ALTER COLUMN body TYPE varchar(200)`)).toEqual([]);
    // …but another, existing table still gets its warning.
    expect(codes(`${created} CREATE INDEX accounts_name_idx ON accounts (name)`)).toEqual(["non_concurrent_index"]);
  });

  it("names the table and column in the message", () => {
    const [warning] = classify("ALTER TABLE billing.invoices DROP COLUMN memo").warnings;
    expect(warning?.message).toContain("billing.invoices.memo");
  });
});
