import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { readTargetHistory } from "../../server/migrations/engine/history-repository";
import { rehearseTarget } from "../../server/migrations/engine/rehearse-target";
import { revertTarget } from "../../server/migrations/engine/revert-target";
import { catalogOf, createFleetDatabase, query, tenantTarget } from "./engine-fixture";

/**
 * A transactional migration goes to the server as one message (its statements, the history row and
 * COMMIT together). These pin what an operator still gets when one statement deep inside a long
 * file fails: that statement, its line, PostgreSQL's SQLSTATE and message, and nothing applied.
 */

let db: Awaited<ReturnType<typeof createFleetDatabase>>;

beforeAll(async () => {
  db = await createFleetDatabase("eng_longfile");
});

afterAll(async () => {
  await db?.drop();
});

/** A long up part: 30 CREATE TABLEs over 3 lines each, then `failing`, then 10 more. */
function longFile(failing: string[], opts: { header?: string[]; preamble?: string[] } = {}) {
  const lines = [...(opts.header ?? []), "-- migrate:up", ...(opts.preamble ?? [])];
  for (let i = 0; i < 30; i++) lines.push(`CREATE TABLE t${i} (`, `    id int PRIMARY KEY`, `);`);
  const failingLine = lines.length + 1;
  lines.push(...failing);
  for (let i = 30; i < 40; i++) lines.push(`CREATE TABLE t${i} (id int);`);
  lines.push("-- migrate:down", ...Array.from({ length: 40 }, (_, i) => `DROP TABLE IF EXISTS t${39 - i};`), "");
  return { text: lines.join("\n"), failingLine };
}

const FIRST = "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY, email text UNIQUE);\n-- migrate:down\nDROP TABLE accounts;\n";

async function tablesOf(schema: string) {
  const rows = await query<{ relname: string }>(
    db.url,
    "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r' order by 1",
    [schema],
  );
  return rows.map((r) => r.relname);
}

describe("a statement failing in the middle of a long transactional file", () => {
  it("an error with a position: its statement, the line inside it, the SQLSTATE, and nothing of the file kept", async () => {
    const { text, failingLine } = longFile(["INSERT INTO accounts (id, email)", "SELECT id, NULL", "  FROM t0", " WHERE mail IS NOT NULL;"]);
    const catalog = await catalogOf({ "tenant/0001_accounts.sql": FIRST, "tenant/0002_long.sql": text });
    const target = tenantTarget(db.name, "positioned");

    const result = await executeTarget({ catalog, target, withClient: db.withClient });

    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({
      code: "42703",
      message: 'column "mail" does not exist',
      file: "tenant/0002_long.sql",
      line: failingLine + 3,
      statement: "INSERT INTO accounts (id, email)\nSELECT id, NULL\n  FROM t0\n WHERE mail IS NOT NULL",
      position: "INSERT INTO accounts (id, email)\nSELECT id, NULL\n  FROM t0\n WHERE ".length + 1,
      transient: false,
    });
    expect((await db.withClient((c) => readTargetHistory(c, target.schemaName))).map((r) => r.version)).toEqual(["0001"]);
    expect(await tablesOf(target.schemaName)).toEqual(["_schema_migrations", "accounts"]);
  });

  it("an error without a position (a unique violation in a data fix): its statement and line, PostgreSQL's code and message", async () => {
    const { text, failingLine } = longFile([
      "INSERT INTO accounts (id, email) VALUES (1, 'ops@example.com');",
      "INSERT INTO accounts (id, email) VALUES (2, 'ops@example.com');",
    ]);
    const catalog = await catalogOf({ "tenant/0001_accounts.sql": FIRST, "tenant/0002_long.sql": text });
    const target = tenantTarget(db.name, "unpositioned");

    const result = await executeTarget({ catalog, target, withClient: db.withClient });

    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({
      code: "23505",
      message: 'duplicate key value violates unique constraint "accounts_email_key"',
      detail: "Key (email)=(ops@example.com) already exists.",
      file: "tenant/0002_long.sql",
      line: failingLine + 1,
      statement: "INSERT INTO accounts (id, email) VALUES (2, 'ops@example.com')",
      transient: false,
    });
    expect(result.error!.position).toBeUndefined();
    expect(await tablesOf(target.schemaName)).toEqual(["_schema_migrations", "accounts"]);
    expect(await query(db.url, `select * from ${target.schemaName}.accounts`)).toEqual([]);
  });

  it("lines stay right after multi-byte text (PostgreSQL counts positions in characters)", async () => {
    const { text, failingLine } = longFile(["SELECT nope", "  FROM t1;"], {
      preamble: ["CREATE TABLE labels (name text DEFAULT '€ 😀 café');", "COMMENT ON TABLE labels IS 'Ünïcödé — 🚀🚀🚀';"],
    });
    const catalog = await catalogOf({ "tenant/0001_long.sql": text });
    const result = await executeTarget({ catalog, target: tenantTarget(db.name, "unicode"), withClient: db.withClient });
    expect(result.error).toMatchObject({ code: "42703", line: failingLine, statement: "SELECT nope\n  FROM t1", position: 8 });
  });

  it("a lock timeout is pinned to the statement that waited, and is transient", async () => {
    const { text, failingLine } = longFile(["ALTER TABLE public.locked_elsewhere ADD COLUMN note text;"], { header: ["-- timeout: 2s"] });
    const catalog = await catalogOf({ "tenant/0001_long.sql": text });
    await query(db.url, "create table if not exists public.locked_elsewhere (id int)");
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("lock table public.locked_elsewhere in access share mode");
      const result = await executeTarget({ catalog, target: tenantTarget(db.name, "locked"), withClient: db.withClient });
      expect(result.error).toMatchObject({ code: "55P03", line: failingLine, transient: true });
      expect(result.error!.statement).toContain("locked_elsewhere");
    } finally {
      await holder.end();
    }
  });

  it("a failure at COMMIT (a deferred foreign key) is the migration's, reported without a statement it did not come from", async () => {
    const catalog = await catalogOf({
      "tenant/0001_deferred.sql": [
        "-- migrate:up",
        "CREATE TABLE parents (id int PRIMARY KEY);",
        "CREATE TABLE children (parent_id int REFERENCES parents DEFERRABLE INITIALLY DEFERRED);",
        "INSERT INTO children VALUES (42);",
        "",
      ].join("\n"),
    });
    const target = tenantTarget(db.name, "deferred");
    const result = await executeTarget({ catalog, target, withClient: db.withClient });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "23503", file: "tenant/0001_deferred.sql", line: 1 });
    expect(result.error!.statement).toBeUndefined();
    expect(await tablesOf(target.schemaName)).toEqual(["_schema_migrations"]);
    expect(await db.withClient((c) => readTargetHistory(c, target.schemaName))).toEqual([]);
  });

  it("a DO block that tries to commit cannot end the migration's transaction", async () => {
    const catalog = await catalogOf({
      "tenant/0001_sneaky.sql": ["-- migrate:up", "CREATE TABLE kept_if_committed (id int);", "DO $$ BEGIN COMMIT; END $$;", ""].join("\n"),
    });
    const target = tenantTarget(db.name, "sneaky");
    const result = await executeTarget({ catalog, target, withClient: db.withClient });
    expect(result.error).toMatchObject({ code: "2D000", line: 3 });
    expect(await tablesOf(target.schemaName)).toEqual(["_schema_migrations"]);
  });
});

describe("the history row written in the same message", () => {
  it("records who applied it (quotes included), the execution and a duration", async () => {
    const catalog = await catalogOf({ "tenant/0001_accounts.sql": FIRST });
    const target = tenantTarget(db.name, "history");
    const result = await executeTarget({ catalog, target, withClient: db.withClient, executionId: "exec-1", appliedBy: "o'brien\\ops" });
    expect(result.status).toBe("succeeded");
    const [row] = await db.withClient((c) => readTargetHistory(c, target.schemaName));
    expect(row).toMatchObject({ version: "0001", name: "accounts", executionId: "exec-1", appliedBy: "o'brien\\ops", state: "applied" });
    expect(row!.checksum).toBe(catalog.byId.get("tenant/0001_accounts")!.checksum);
    expect(row!.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe("rehearsal and revert take the same path", () => {
  it("a rehearsal pins a failure deep in a long file and still rehearses the files after it", async () => {
    const { text, failingLine } = longFile([
      "INSERT INTO accounts (id, email) VALUES (1, 'a@example.com');",
      "INSERT INTO accounts (id, email) VALUES (1, 'b@example.com');",
    ]);
    const catalog = await catalogOf({
      "tenant/0001_accounts.sql": FIRST,
      "tenant/0002_long.sql": text,
      "tenant/0003_after.sql": "-- migrate:up\nCREATE TABLE after_long (account_id int REFERENCES accounts);\n",
    });
    const target = tenantTarget(db.name, "rehearsed");
    const result = await rehearseTarget({ catalog, target, withClient: db.withClient });
    expect(result.status).toBe("would_fail");
    expect(result.migrations.map((m) => [m.id, m.status])).toEqual([
      ["tenant/0001_accounts", "would_apply"],
      ["tenant/0002_long", "would_fail"],
      ["tenant/0003_after", "would_apply"],
    ]);
    expect(result.migrations[1]!.error).toMatchObject({ code: "23505", file: "tenant/0002_long.sql", line: failingLine + 1 });
    expect(await tablesOf(target.schemaName)).toEqual([]);
  });

  it("a revert pins a failing down statement to its line in the down part", async () => {
    const catalog = await catalogOf({
      "tenant/0001_accounts.sql": [
        "-- migrate:up",
        "CREATE TABLE accounts (id int PRIMARY KEY);",
        "CREATE TABLE notes (id int);",
        "-- migrate:down",
        "DROP TABLE notes;",
        "DROP TABLE acounts;",
        "",
      ].join("\n"),
    });
    const target = tenantTarget(db.name, "reverted");
    expect((await executeTarget({ catalog, target, withClient: db.withClient })).status).toBe("succeeded");
    const result = await revertTarget({ catalog, target, withClient: db.withClient, migrationIds: ["tenant/0001_accounts"] });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "42P01", file: "tenant/0001_accounts.sql", line: 6, statement: "DROP TABLE acounts" });
    // Nothing of the down part was kept: notes is still there, and so is the history row.
    expect(await tablesOf(target.schemaName)).toEqual(["_schema_migrations", "accounts", "notes"]);
    expect((await db.withClient((c) => readTargetHistory(c, target.schemaName))).map((r) => r.version)).toEqual(["0001"]);
  });
});
