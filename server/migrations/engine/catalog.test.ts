import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assembleCatalog, buildCatalog, loadCatalog, readCatalog } from "./catalog";
import { CatalogLoadError, type CatalogErrorCode } from "./catalog-error";
import { loadSqlParser } from "./sql-parser";

const sql = (...lines: string[]) => `${lines.join("\n")}\n`;
const up = (...body: string[]) => sql("-- migrate:up", ...body);

function build(files: Record<string, string>) {
  return buildCatalog(
    "memory",
    Object.entries(files).map(([p, content]) => ({ path: p, content })),
  );
}

function loadError(files: Record<string, string>): CatalogLoadError {
  try {
    build(files);
  } catch (error) {
    if (error instanceof CatalogLoadError) return error;
    throw error;
  }
  throw new Error("the catalog loaded, but a load error was expected");
}

function expectLoadError(files: Record<string, string>, code: CatalogErrorCode, file: string, line: number) {
  const error = loadError(files);
  expect({ code: error.code, file: error.file, line: error.line }).toEqual({ code, file, line });
  expect(error.message.startsWith(`${file}:${line}: `)).toBe(true);
  return error;
}

beforeAll(async () => {
  await loadSqlParser();
});

describe("loading a catalog", () => {
  it("reads ids, directives, both parts with their lines, and a sha256 of the file bytes", () => {
    const orders = sql(
      "-- requires: shared/0001_currencies, tenant/0001_accounts",
      "-- timeout: 10m",
      "-- Orders placed by accounts.",
      "",
      "-- migrate:up",
      "CREATE TABLE orders (id int PRIMARY KEY, currency char(3) REFERENCES currencies (code));",
      "",
      "CREATE FUNCTION order_total(o int) RETURNS int LANGUAGE sql AS $$ SELECT 1; SELECT o; $$;",
      "-- migrate:down",
      "DROP FUNCTION order_total(int);",
      "DROP TABLE orders;",
    );
    const catalog = build({
      "tenant/0002_orders.sql": orders,
      "tenant/0001_accounts.sql": up("CREATE TABLE accounts (id int);"),
      "shared/0001_currencies.sql": up("CREATE TABLE currencies (code char(3) PRIMARY KEY);"),
    });
    const m = catalog.byId.get("tenant/0002_orders")!;
    expect(m).toMatchObject({
      tier: "tenant",
      version: "0002",
      name: "orders",
      file: "tenant/0002_orders.sql",
      requires: ["shared/0001_currencies", "tenant/0001_accounts"],
      transactional: true,
      timeoutMs: 600_000,
      checksum: createHash("sha256").update(Buffer.from(orders)).digest("hex"),
    });
    // The dollar-quoted body keeps its semicolons: two statements in the up part, not four.
    expect(m.up.statements.map((s) => [s.line, s.kind])).toEqual([
      [6, "CreateStmt"],
      [8, "CreateFunctionStmt"],
    ]);
    expect(m.up.statements[1]!.sql).toContain("SELECT 1; SELECT o;");
    expect(m.down?.line).toBe(9);
    expect(m.down?.statements.map((s) => s.sql)).toEqual(["DROP FUNCTION order_total(int)", "DROP TABLE orders"]);
  });

  it("keeps statement lines right after multi-byte text", () => {
    const catalog = build({
      "shared/0001_currencies.sql": up(
        "INSERT INTO currencies VALUES ('EUR', '€'), ('GBP', '£');",
        "",
        "INSERT INTO currencies VALUES ('JPY', '¥');",
      ),
    });
    expect(catalog.byId.get("shared/0001_currencies")!.up.statements.map((s) => s.line)).toEqual([2, 4]);
  });

  it("treats an empty down part as missing, so a rollback is refused rather than doing nothing", () => {
    const catalog = build({ "tenant/0001_a.sql": sql("-- migrate:up", "CREATE TABLE a (id int);", "-- migrate:down", "") });
    expect(catalog.byId.get("tenant/0001_a")!.down).toBeNull();
  });

  it.each([
    ["a down marker ending the file (what dbmate writes for an irreversible migration)", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down"],
    ["a down part of blank lines", "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\n\n\n"],
    ["a down part holding only a comment", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\n-- irreversible: the data is gone\n"],
  ])("loads %s as irreversible (no down part)", (_label, text) => {
    const catalog = build({ "tenant/0001_a.sql": text });
    expect(catalog.byId.get("tenant/0001_a")).toMatchObject({ down: null, up: { statements: [{ kind: "CreateStmt" }] } });
  });

  it("orders versions as numbers: 9_x runs before 10_x", () => {
    const catalog = build({
      "tenant/10_ten.sql": up("SELECT 10;"),
      "tenant/9_nine.sql": up("SELECT 9;"),
      "tenant/0100_hundred.sql": up("SELECT 100;"),
      "tenant/1_one.sql": up("SELECT 1;"),
    });
    expect(catalog.byTier.tenant.map((m) => m.id)).toEqual(["tenant/1_one", "tenant/9_nine", "tenant/10_ten", "tenant/0100_hundred"]);
  });

  it("orders tiers admin → shared → analytics → tenant, versions inside a tier, and honours requires", () => {
    const catalog = build({
      "tenant/0002_b.sql": up("SELECT 1;"),
      "tenant/0001_a.sql": up("SELECT 1;"),
      "analytics/0001_events.sql": up("SELECT 1;"),
      "shared/0002_late.sql": sql("-- requires: tenant/0001_a", "-- migrate:up", "SELECT 1;"),
      "shared/0001_first.sql": up("SELECT 1;"),
      "admin/0001_plans.sql": up("SELECT 1;"),
    });
    expect(catalog.migrations.map((m) => m.id)).toEqual([
      "admin/0001_plans",
      "shared/0001_first",
      "analytics/0001_events",
      "tenant/0001_a",
      "shared/0002_late",
      "tenant/0002_b",
    ]);
    expect(catalog.byTier.shared.map((m) => m.id)).toEqual(["shared/0001_first", "shared/0002_late"]);
  });

  it("gives the same order and checksum whatever order the files come in", () => {
    const files = {
      "tenant/0001_a.sql": up("SELECT 1;"),
      "tenant/0002_b.sql": up("SELECT 2;"),
      "shared/0001_c.sql": up("SELECT 3;"),
    };
    const a = build(files);
    const b = build(Object.fromEntries(Object.entries(files).reverse()));
    expect(b.migrations.map((m) => m.id)).toEqual(a.migrations.map((m) => m.id));
    expect(b.checksum).toBe(a.checksum);
    const edited = build({ ...files, "tenant/0002_b.sql": up("SELECT 22;") });
    expect(edited.checksum).not.toBe(a.checksum);
  });

  it("lets ordinary comments with colons sit in the header when they are not lowercase directives", () => {
    const catalog = build({ "tenant/0001_a.sql": sql("-- Owner: billing team", "-- TODO: split later", "-- migrate:up", "SELECT 1;") });
    expect(catalog.migrations).toHaveLength(1);
  });
});

describe("load errors name the file and the line", () => {
  it("unknown directive", () => {
    const error = expectLoadError({ "tenant/0001_a.sql": sql("-- timeout: 5s", "-- require: shared/0001_x", "-- migrate:up", "SELECT 1;") }, "unknown_directive", "tenant/0001_a.sql", 2);
    expect(error.message).toContain('"require"');
  });

  it.each([
    ["transaction: maybe", "-- transaction: maybe"],
    ["timeout without a number", "-- timeout: soon"],
    ["timeout of zero", "-- timeout: 0s"],
    ["requires with a bad id", "-- requires: currencies"],
    ["requires with an empty entry", "-- requires: shared/0001_a,"],
  ])("malformed directive: %s", (_label, line) => {
    expectLoadError({ "tenant/0001_a.sql": sql("", line, "-- migrate:up", "SELECT 1;") }, "malformed_directive", "tenant/0001_a.sql", 2);
  });

  it("a directive given twice", () => {
    expectLoadError(
      { "tenant/0001_a.sql": sql("-- transaction: false", "-- transaction: false", "-- migrate:up", "SELECT 1;") },
      "malformed_directive",
      "tenant/0001_a.sql",
      2,
    );
  });

  it("duplicate version in a tier (a different tier may reuse it)", () => {
    const error = expectLoadError(
      {
        "tenant/0001_a.sql": up("SELECT 1;"),
        "tenant/0001_b.sql": up("SELECT 1;"),
        "shared/0001_a.sql": up("SELECT 1;"),
      },
      "duplicate_version",
      "tenant/0001_b.sql",
      1,
    );
    expect(error.message).toContain("tenant/0001_a.sql");
  });

  it("1_x and 0001_y are the same version: a duplicate naming both files", () => {
    const error = expectLoadError(
      { "tenant/1_accounts.sql": up("SELECT 1;"), "tenant/0001_contacts.sql": up("SELECT 1;") },
      "duplicate_version",
      "tenant/1_accounts.sql",
      1,
    );
    expect(error.message).toContain("tenant/0001_contacts.sql");
  });

  it("an up marker with nothing after it, at the end of the file", () => {
    expectLoadError({ "tenant/0001_a.sql": "-- A table, one day.\n-- migrate:up" }, "missing_up", "tenant/0001_a.sql", 2);
    expectLoadError({ "tenant/0001_a.sql": "-- migrate:up\n-- migrate:down\nDROP TABLE a;\n" }, "missing_up", "tenant/0001_a.sql", 1);
  });

  it("unknown requires", () => {
    const error = expectLoadError(
      { "tenant/0001_a.sql": sql("-- Accounts", "-- requires: shared/0001_currencies", "-- migrate:up", "SELECT 1;") },
      "unknown_requirement",
      "tenant/0001_a.sql",
      2,
    );
    expect(error.message).toContain("shared/0001_currencies");
  });

  it("a dependency cycle through requires, printed in full", () => {
    const error = loadError({
      "shared/0001_a.sql": sql("-- requires: tenant/0001_b", "-- migrate:up", "SELECT 1;"),
      "tenant/0001_b.sql": sql("-- requires: analytics/0001_c", "-- migrate:up", "SELECT 1;"),
      "analytics/0001_c.sql": sql("-- requires: shared/0001_a", "-- migrate:up", "SELECT 1;"),
    });
    expect(error.code).toBe("dependency_cycle");
    expect(error.line).toBe(1);
    expect(error.message).toContain(
      "shared/0001_a → tenant/0001_b (requires) → analytics/0001_c (requires) → shared/0001_a (requires)",
    );
  });

  it("a cycle through version order: requiring a later version of the same tier", () => {
    const error = loadError({
      "tenant/0001_a.sql": sql("", "-- requires: tenant/0002_b", "-- migrate:up", "SELECT 1;"),
      "tenant/0002_b.sql": up("SELECT 1;"),
    });
    expect(error.code).toBe("dependency_cycle");
    expect({ file: error.file, line: error.line }).toEqual({ file: "tenant/0001_a.sql", line: 2 });
    expect(error.message).toContain("tenant/0001_a → tenant/0002_b (requires) → tenant/0001_a (version order)");
  });

  it("a migration requiring itself", () => {
    expect(loadError({ "tenant/0001_a.sql": sql("-- requires: tenant/0001_a", "-- migrate:up", "SELECT 1;") }).code).toBe(
      "dependency_cycle",
    );
  });

  it("missing up part: no marker at all", () => {
    expectLoadError({ "tenant/0001_a.sql": sql("-- just a comment") }, "missing_up", "tenant/0001_a.sql", 1);
  });

  it("missing up part: a marker with nothing under it", () => {
    expectLoadError({ "tenant/0001_a.sql": sql("", "-- migrate:up", "-- nothing yet", "-- migrate:down", "DROP TABLE a;") }, "missing_up", "tenant/0001_a.sql", 2);
  });

  it("SQL before the up marker, and a down marker before the up marker", () => {
    expectLoadError({ "tenant/0001_a.sql": sql("CREATE TABLE a (id int);", "-- migrate:up", "SELECT 1;") }, "malformed_section", "tenant/0001_a.sql", 1);
    expectLoadError({ "tenant/0001_a.sql": sql("-- migrate:down", "SELECT 1;", "-- migrate:up", "SELECT 1;") }, "malformed_section", "tenant/0001_a.sql", 1);
  });

  it.each(["orders.sql", "0001-orders.sql", "0001_.sql", "v1_orders.sql"])("bad file name: %s", (name) => {
    expectLoadError({ [`tenant/${name}`]: up("SELECT 1;") }, "bad_file_name", `tenant/${name}`, 1);
  });

  it("a folder that is not a tier", () => {
    expectLoadError({ "tenants/0001_a.sql": up("SELECT 1;") }, "unknown_tier", "tenants/0001_a.sql", 1);
  });

  it("a syntax error, on the line where the parser stopped", () => {
    const error = expectLoadError(
      { "tenant/0001_a.sql": sql("-- migrate:up", "CREATE TABLE a (id int);", "", "CREATE TABLE b (", "  id int,", "  name txt text", ");") },
      "syntax_error",
      "tenant/0001_a.sql",
      6,
    );
    expect(error.message).toContain("syntax error");
  });

  it.each([
    ["CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY a_idx ON a (id);"],
    ["DROP INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY a_idx;"],
    ["REINDEX CONCURRENTLY", "REINDEX TABLE CONCURRENTLY a;"],
    ["VACUUM", "VACUUM a;"],
    ["ALTER SYSTEM", "ALTER SYSTEM SET work_mem = '64MB';"],
    ["CREATE DATABASE", "CREATE DATABASE reports;"],
    ["DROP DATABASE", "DROP DATABASE reports;"],
    ["CREATE TABLESPACE", "CREATE TABLESPACE fast LOCATION '/ssd';"],
    ["DROP TABLESPACE", "DROP TABLESPACE fast;"],
  ])("%s in a transactional file", (what, statement) => {
    const error = expectLoadError(
      { "tenant/0001_a.sql": sql("-- migrate:up", "CREATE TABLE a (id int);", statement) },
      "non_transactional_statement",
      "tenant/0001_a.sql",
      3,
    );
    expect(error.message).toContain(what);
    expect(error.message).toContain("transaction: false");
    // The same statement loads once the file says it runs outside a transaction.
    expect(() => build({ "tenant/0001_a.sql": sql("-- transaction: false", "-- migrate:up", statement) })).not.toThrow();
  });

  it("non-transactional statements in the down part count too", () => {
    expectLoadError(
      { "tenant/0001_a.sql": sql("-- migrate:up", "SELECT 1;", "-- migrate:down", "DROP INDEX CONCURRENTLY a_idx;") },
      "non_transactional_statement",
      "tenant/0001_a.sql",
      4,
    );
  });

  it("ALTER TYPE … ADD VALUE runs in a transaction on PostgreSQL 12+ and is accepted", () => {
    expect(() => build({ "tenant/0001_a.sql": up("ALTER TYPE invoice_status ADD VALUE 'refunded';") })).not.toThrow();
  });

  it("transaction control inside a transactional file", () => {
    expectLoadError({ "tenant/0001_a.sql": sql("-- migrate:up", "BEGIN;", "SELECT 1;", "COMMIT;") }, "transaction_control", "tenant/0001_a.sql", 2);
  });

  it.each([
    ["SET search_path TO public;", "SET search_path"],
    ["SET LOCAL search_path = other_tenant;", "SET LOCAL search_path"],
    ["SET SCHEMA 'other_tenant';", "SET search_path"],
    ["RESET search_path;", "RESET search_path"],
    ["RESET ALL;", "RESET ALL"],
    ["SET ROLE billing_admin;", "SET ROLE"],
    ["SET SESSION AUTHORIZATION billing_admin;", "SET SESSION AUTHORIZATION"],
    ["SELECT set_config('search_path', 'other_tenant', false);", "set_config('search_path'"],
  ])("%s, which would take what follows out of the target, in any file", (statement, what) => {
    for (const header of [[], ["-- transaction: false"]]) {
      const error = expectLoadError(
        { "tenant/0001_a.sql": sql(...header, "-- migrate:up", "CREATE TABLE a (id int);", statement, "CREATE TABLE b (id int);") },
        "escapes_target",
        "tenant/0001_a.sql",
        header.length + 3,
      );
      expect(error.message).toContain(what);
    }
  });

  it("settings that stay inside the migration are accepted", () => {
    expect(() =>
      build({ "tenant/0001_a.sql": up("SET LOCAL statement_timeout = '5min';", "SET lock_timeout = '10s';", "SELECT set_config('work_mem', '64MB', true);") }),
    ).not.toThrow();
  });
});

describe("loadCatalog(dir)", () => {
  it("reads the tier folders, ignoring other files, and reports a misspelt tier folder", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "catalog-"));
    try {
      await mkdir(path.join(dir, "tenant"));
      await writeFile(path.join(dir, "README.md"), "# migrations\n");
      await writeFile(path.join(dir, "tenant", "notes.txt"), "not a migration\n");
      await writeFile(path.join(dir, "tenant", "0001_accounts.sql"), up("CREATE TABLE accounts (id int);"));
      const catalog = await loadCatalog(dir);
      expect(catalog.migrations.map((m) => m.id)).toEqual(["tenant/0001_accounts"]);

      await mkdir(path.join(dir, "tenants"));
      await expect(loadCatalog(dir)).rejects.toMatchObject({ code: "unknown_tier", file: "tenants" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("loads the example catalog: every tier, down parts everywhere, tenant invoices requiring shared currencies", async () => {
    const catalog = await loadCatalog(path.resolve("examples/migrations"));
    for (const tier of ["admin", "shared", "analytics", "tenant"] as const) expect(catalog.byTier[tier].length).toBeGreaterThanOrEqual(3);
    expect(catalog.migrations.filter((m) => m.down === null).map((m) => m.file)).toEqual([]);
    expect(catalog.byId.get("tenant/0003_invoices")!.requires).toContain("shared/0001_currencies");
    expect(catalog.migrations.some((m) => m.tier === "tenant" && !m.transactional)).toBe(true);
  });
});

describe("a catalog with problems (readCatalog, assembleCatalog)", () => {
  const files = (entries: Record<string, string>) => Object.entries(entries).map(([p, content]) => ({ path: p, content }));

  it("keeps every file that loads and names each problem's file, line and reason; only the tiers with one are broken", () => {
    const catalog = assembleCatalog(
      "memory",
      files({
        "admin/0001_plans.sql": up("CREATE TABLE plans (id text);"),
        "admin/0002_flags.sql": up("CREATE TABLE flags (id text);"),
        "tenant/0001_accounts.sql": up("CREATE TABLE accounts (id int);"),
        "tenant/0002_contacts.sql": sql("-- migrate:up", "CREATE TABLE contacts (", "  id int,", "  name txt text", ");"),
        "tenant/0003_orders.sql": sql("-- require: tenant/0001_accounts", "-- migrate:up", "SELECT 1;"),
        "shared/1_currencies.sql": up("CREATE TABLE currencies (code text);"),
        "shared/0001_countries.sql": up("CREATE TABLE countries (code text);"),
      }),
    );
    expect(catalog.migrations.map((m) => m.id)).toEqual(["admin/0001_plans", "admin/0002_flags", "tenant/0001_accounts"]);
    expect(catalog.problems.map((p) => [p.code, p.file, p.line, p.tiers])).toEqual([
      ["syntax_error", "tenant/0002_contacts.sql", 4, ["tenant"]],
      ["unknown_directive", "tenant/0003_orders.sql", 1, ["tenant"]],
      ["duplicate_version", "shared/1_currencies.sql", 1, ["shared"]],
    ]);
    expect(catalog.problems[2]!.message).toBe(
      "shared/1_currencies.sql:1: version 1 is the same number as 0001, already used by shared/0001_countries.sql in tier shared",
    );
    expect([...catalog.brokenTiers].sort()).toEqual(["shared", "tenant"]);
    // The strict loader refuses the same files with the first problem.
    expect(() => buildCatalog("memory", files({ "tenant/0002_contacts.sql": sql("-- migrate:up", "CREATE TABLE (;") }))).toThrow(
      CatalogLoadError,
    );
  });

  it("leaves out what requires a file with a problem, across tiers, naming both", () => {
    const catalog = assembleCatalog(
      "memory",
      files({
        "shared/0001_currencies.sql": sql("-- transaction: perhaps", "-- migrate:up", "SELECT 1;"),
        "tenant/0001_invoices.sql": sql("-- requires: shared/0001_currencies", "-- migrate:up", "SELECT 1;"),
        "tenant/0002_lines.sql": sql("-- requires: tenant/0001_invoices", "-- migrate:up", "SELECT 1;"),
        "admin/0001_plans.sql": up("SELECT 1;"),
      }),
    );
    expect(catalog.migrations.map((m) => m.id)).toEqual(["admin/0001_plans"]);
    expect(catalog.problems.map((p) => [p.code, p.file, p.line])).toEqual([
      ["malformed_directive", "shared/0001_currencies.sql", 1],
      ["broken_requirement", "tenant/0001_invoices.sql", 1],
      ["broken_requirement", "tenant/0002_lines.sql", 1],
    ]);
    expect(catalog.problems[1]!.reason).toContain("shared/0001_currencies");
    expect([...catalog.brokenTiers].sort()).toEqual(["shared", "tenant"]);
  });

  it("a dependency cycle breaks every tier on it", () => {
    const catalog = assembleCatalog(
      "memory",
      files({
        "shared/0001_a.sql": sql("-- requires: tenant/0001_b", "-- migrate:up", "SELECT 1;"),
        "tenant/0001_b.sql": sql("-- requires: shared/0001_a", "-- migrate:up", "SELECT 1;"),
        "admin/0001_c.sql": up("SELECT 1;"),
      }),
    );
    expect(catalog.migrations.map((m) => m.id)).toEqual(["admin/0001_c"]);
    expect(catalog.problems).toEqual([expect.objectContaining({ code: "dependency_cycle", tiers: ["shared", "tenant"] })]);
  });

  it("reads a folder with an unreadable file and a stray folder: the file's tier, then every tier, is broken", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "catalog-"));
    try {
      await mkdir(path.join(dir, "tenant"));
      await mkdir(path.join(dir, "admin"));
      await writeFile(path.join(dir, "admin", "0001_plans.sql"), up("CREATE TABLE plans (id text);"));
      // A folder named like a migration cannot be read as a file.
      await mkdir(path.join(dir, "tenant", "0001_accounts.sql"));
      let catalog = await readCatalog(dir);
      expect(catalog.migrations.map((m) => m.id)).toEqual(["admin/0001_plans"]);
      expect(catalog.problems).toEqual([
        expect.objectContaining({ code: "unreadable", file: "tenant/0001_accounts.sql", line: 1, tiers: ["tenant"] }),
      ]);
      expect(catalog.problems[0]!.reason).toBe("cannot read (EISDIR)");

      await mkdir(path.join(dir, "tenants"));
      catalog = await readCatalog(dir);
      expect(catalog.problems.find((p) => p.code === "unknown_tier")).toMatchObject({
        file: "tenants",
        tiers: ["admin", "shared", "analytics", "tenant"],
      });
      expect(catalog.brokenTiers.size).toBe(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a sound catalog has no problems and the checksum it always had; problems change the checksum", () => {
    const sound = files({ "admin/0001_plans.sql": up("SELECT 1;") });
    const a = assembleCatalog("memory", sound);
    expect(a.problems).toEqual([]);
    expect(a.brokenTiers.size).toBe(0);
    const b = assembleCatalog("memory", [...sound, ...files({ "tenant/0001_x.sql": "-- nothing\n" })]);
    expect(b.migrations.map((m) => m.id)).toEqual(["admin/0001_plans"]);
    expect(b.checksum).not.toBe(a.checksum);
  });
});
