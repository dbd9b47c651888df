import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database";

const run = promisify(execFile);
const migrationFiles = readdirSync("drizzle").filter((f) => f.endsWith(".sql")).length;

describe("control-plane migrations", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("cpmig");
  });
  afterAll(async () => {
    await database.drop();
  });

  it("two instances migrating one database at once both succeed and the schema is migrated once", async () => {
    const env = { ...process.env, DATABASE_URL: database.url, ENVIRONMENT: "testing" };
    const both = await Promise.all(
      [1, 2].map(() => run("node_modules/.bin/tsx", ["server/db/migrate-cli.ts"], { env })),
    );
    const outputs = both.map((r) => r.stdout.trim()).sort();
    expect(outputs).toEqual([`applied ${migrationFiles} migration(s)`, "control-plane schema is up to date"]);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query("select count(*)::int as n from console.__drizzle_migrations");
      expect(rows[0].n).toBe(migrationFiles);
      const tables = await client.query(
        "select table_name from information_schema.tables where table_schema = 'console' order by 1",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(["connections", "tenants", "executions", "execution_targets", "execution_events", "schedules", "audit_log"]),
      );
    } finally {
      await client.end();
    }
  });
});
