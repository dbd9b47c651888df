import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findSql, looksLikeSql } from "./sql-detector";

/**
 * SQL lives in repository files: `server/<feature>/repository.ts`, or `<thing>-repository.ts` when a
 * feature has more than one store. Everything else passes values to them. This scans the server's
 * sources (no database needed) and names the file and line of any SQL found elsewhere.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCANNED = ["server", "app"];

/** Files the rule does not apply to, each with the reason. */
const EXEMPT_FROM_REPOSITORY_RULE: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  { pattern: /\.test\.tsx?$/, reason: "tests set up and inspect the database directly" },
  { pattern: /^server\/db\/schema\.ts$/, reason: "the control-plane tables: drizzle's table builders and SQL column defaults" },
  { pattern: /^server\/db\/client\.ts$/, reason: "creates the pool and the drizzle handle every repository is given" },
  { pattern: /^server\/db\/migrate\.ts$/, reason: "runs the control plane's own migrations with drizzle's migrator" },
  {
    pattern: /^server\/migrations\/engine\/(migration-message|run-statements)\.ts$/,
    reason: "they send the migration files' own text to the target (the engine's own SQL is in its repositories)",
  },
  {
    pattern: /^server\/migrations\/engine\/classify-statement\.ts$/,
    reason: "its lint findings quote SQL to the operator (CREATE INDEX CONCURRENTLY…); it runs nothing",
  },
];

const isRepository = (file: string) => /(^|\/|-)repository\.ts$/.test(file);
const isExempt = (file: string) => EXEMPT_FROM_REPOSITORY_RULE.some((e) => e.pattern.test(file));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

describe("SQL only in repositories", () => {
  it("no server or app file outside a repository holds SQL", () => {
    const files = SCANNED.flatMap(sourceFiles).filter((f) => !isRepository(f) && !isExempt(f));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      findSql(readFileSync(path.join(ROOT, file), "utf8"), file).map((f) => `${file}:${f.line} ${f.kind}: ${f.text}`),
    );
    expect(found, `SQL outside repository files (move it into the feature's repository):\n${found.join("\n")}`).toEqual([]);
  });

  it("every exemption still matches a file, so none outlives its reason", () => {
    const files = SCANNED.flatMap(sourceFiles);
    for (const { pattern, reason } of EXEMPT_FROM_REPOSITORY_RULE) {
      expect(files.some((f) => pattern.test(f)), `no file matches ${pattern} (${reason}): remove the exemption`).toBe(true);
    }
  });

  it("names each kind of data access in a service written the wrong way, with its line", () => {
    const wrong = [
      `import { and, eq, sql } from "drizzle-orm";`,
      `import type { SQL } from "drizzle-orm";`,
      `import { getDb, getPool } from "../db/client";`,
      `import { executions } from "../db/schema";`,
      ``,
      `export async function cancelled(ids: string[]) {`,
      `  const rows = await getDb().select({ id: executions.id }).from(executions);`,
      `  await getDb().update(executions).set({ status: "failed" }).where(sql\`\${executions.status} = 'pending'\`);`,
      `  await getPool().query("delete from console.workers where id = $1", [ids[0]]);`,
      `  const VERSION = "select current_setting('server_version') as v";`,
      `  await withClient((client) => client.query(\`create schema if not exists \${name}\`));`,
      `  await tx.execute(sql.raw("select 1"));`,
      `  return rows;`,
      `}`,
    ].join("\n");
    const found = findSql(wrong, "server/executions/cancel.ts").map((f) => `${f.line} ${f.kind}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "1 drizzle-import",
        "7 query-builder",
        "8 query-builder",
        "8 sql-template",
        "9 pg-query",
        "9 sql-text",
        "10 sql-text",
        "11 pg-query",
        "11 sql-text",
        "12 query-builder",
        "12 sql-template",
      ]),
    );
    // A type-only import carries no SQL.
    expect(found.filter((f) => f.startsWith("2 "))).toEqual([]);
  });

  it("does not mistake prose, comments or other APIs for SQL", () => {
    const fine = [
      `import type { SQL } from "drizzle-orm";`,
      `// select * from console.executions: explained in a comment, not run`,
      `const label = "select a database from the list";`,
      `const kind = "rollback";`,
      `const className = "truncate text-sm font-semibold";`,
      `const digest = createHash("sha256").update(value).digest("hex");`,
      `watchers.delete(id);`,
      `throw new Error(\`creating schema \${name} on \${connection} failed\`);`,
    ].join("\n");
    expect(findSql(fine, "server/x.ts")).toEqual([]);
  });

  it("recognises statements by how they start", () => {
    for (const statement of [
      "select 1 from pg_namespace where nspname = $1",
      "select pg_advisory_unlock($1)",
      "  insert into console.workers (id) values ($1)",
      "update graphile_worker._private_jobs set max_attempts = attempts where id = $1",
      "delete from console.rate_limit_counters where window_start < now()",
      "with ins as (insert into t values (1) returning id) select max(id) from ins",
      "drop schema if exists ? restrict",
      "listen console_execution_events",
      "set local lock_timeout = '5s'",
    ]) {
      expect(looksLikeSql(statement), statement).toBe(true);
    }
    for (const prose of ["select a tenant", "Rollback started", "update the connection", "listen for changes on the bus", "CREATE TABLE"]) {
      expect(looksLikeSql(prose), prose).toBe(false);
    }
  });
});
