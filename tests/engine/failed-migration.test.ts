import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { readTargetHistory, resolveInterrupted } from "../../server/migrations/engine/history-repository";
import { planMigrations } from "../../server/migrations/engine/plan";
import { targetKey, type Catalog } from "../../server/migrations/engine/types";
import { catalogOf, createFleetDatabase, query, tenantTarget } from "./engine-fixture";

let db: Awaited<ReturnType<typeof createFleetDatabase>>;
let catalog: Catalog;

const BROKEN = [
  "-- Copies scores; the filter names a column that does not exist.",
  "-- migrate:up",
  "CREATE TABLE score_history (id int);",
  "",
  "INSERT INTO score_history (id)",
  "SELECT id",
  "FROM accounts",
  "WHERE scor > 0;",
  "-- migrate:down",
  "DROP TABLE score_history;",
  "",
].join("\n");

beforeAll(async () => {
  db = await createFleetDatabase("eng_fail");
  catalog = await catalogOf({
    "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE accounts;\n",
    "tenant/0002_notes.sql": "-- migrate:up\nCREATE TABLE notes (id int, account_id int REFERENCES accounts);\n-- migrate:down\nDROP TABLE notes;\n",
    "tenant/0003_scores.sql": BROKEN,
    "tenant/0004_tags.sql": "-- migrate:up\nCREATE TABLE tags (id int);\n-- migrate:down\nDROP TABLE tags;\n",
  });
});

afterAll(async () => {
  await db?.drop();
});

describe("a migration failing half-way through the catalog", () => {
  it("stops there, names the file, the line and the PostgreSQL error, and leaves the target at the last good version", async () => {
    const target = tenantTarget(db.name, "acme");
    const result = await executeTarget({ catalog, target, withClient: db.withClient });

    expect(result.status).toBe("failed");
    expect(result.migrations.map((m) => [m.id, m.status])).toEqual([
      ["tenant/0001_accounts", "applied"],
      ["tenant/0002_notes", "applied"],
      ["tenant/0003_scores", "failed"],
      ["tenant/0004_tags", "pending"],
    ]);
    expect(result.error).toMatchObject({
      code: "42703",
      message: 'column "scor" does not exist',
      file: "tenant/0003_scores.sql",
      line: 8,
      transient: false,
    });
    expect(result.error!.statement).toMatch(/^INSERT INTO score_history \(id\)\nSELECT id/);
    expect(result.error!.position).toBeGreaterThan(0);

    // History and schema stop at 0002; the failed file's earlier statement was rolled back with it.
    expect((await db.withClient((c) => readTargetHistory(c, "tenant_acme"))).map((r) => r.version)).toEqual(["0001", "0002"]);
    const tables = await query<{ relname: string }>(
      db.url,
      "select relname from pg_class where relnamespace = 'tenant_acme'::regnamespace and relkind = 'r' order by 1",
    );
    expect(tables.map((t) => t.relname)).toEqual(["_schema_migrations", "accounts", "notes"]);
  });
});

describe("a transaction: false migration that fails part-way", () => {
  it("is recorded as failed and blocks the target (needs attention) instead of running again", async () => {
    const nonTx = await catalogOf({
      "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY, name text);\n",
      "tenant/0002_indexes.sql": [
        "-- transaction: false",
        "-- migrate:up",
        "CREATE INDEX CONCURRENTLY accounts_name_idx ON accounts (name);",
        "CREATE INDEX CONCURRENTLY accounts_missing_idx ON accounts (missing);",
        "",
      ].join("\n"),
    });
    const target = tenantTarget(db.name, "nontx");
    const first = await executeTarget({ catalog: nonTx, target, withClient: db.withClient });
    expect(first.status).toBe("failed");
    expect(first.error).toMatchObject({ code: "42703", file: "tenant/0002_indexes.sql", line: 4 });

    const history = await db.withClient((c) => readTargetHistory(c, "tenant_nontx"));
    expect(history.map((r) => [r.version, r.state])).toEqual([
      ["0001", "applied"],
      ["0002", "failed"],
    ]);
    const plan = planMigrations({ catalog: nonTx, targets: [target], histories: new Map([[targetKey(target), history]]) });
    expect(plan.targets[0]!.status).toBe("blocked");
    expect(plan.targets[0]!.interrupted).toEqual([expect.objectContaining({ version: "0002", state: "failed" })]);

    const second = await executeTarget({ catalog: nonTx, target, withClient: db.withClient });
    expect(second.status).toBe("blocked");
    expect(second.error).toMatchObject({ code: "needs_attention" });
    expect(second.error!.message).toContain("tenant/0002_indexes");
    expect(second.appliedCount).toBe(0);

    // The operator looked, dropped the half-built index, and asks for a retry: the row is forgotten.
    await query(db.url, "drop index tenant_nontx.accounts_name_idx");
    expect(await db.withClient((c) => resolveInterrupted(c, "tenant_nontx", "0002", "retry"))).toBe(true);
    const third = await executeTarget({ catalog: nonTx, target, withClient: db.withClient });
    expect(third.status).toBe("failed");
    expect(third.error).toMatchObject({ code: "42703", line: 4 });
  });
});
