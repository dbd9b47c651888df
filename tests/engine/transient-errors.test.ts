import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { rehearseTarget } from "../../server/migrations/engine/rehearse-target";
import { withNewClient } from "../../server/migrations/engine/target-run";
import type { Catalog } from "../../server/migrations/engine/types";
import { adminQuery } from "../support/database";
import { catalogOf, createFleetDatabase, tenantTarget } from "./engine-fixture";

let db: Awaited<ReturnType<typeof createFleetDatabase>>;
let base: Catalog;

beforeAll(async () => {
  db = await createFleetDatabase("eng_transient");
  base = await catalogOf({ "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int);\n" });
});

afterAll(async () => {
  await db?.drop();
});

const withAccounts = (second: string) =>
  catalogOf({
    "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int);\n",
    "tenant/0002_next.sql": second,
  });

describe("errors a retry can fix are told apart from SQL errors", () => {
  it("connection refused is transient", async () => {
    const result = await executeTarget({
      catalog: base,
      target: tenantTarget("nowhere", "acme"),
      withClient: withNewClient({ host: "127.0.0.1", port: 1, database: "nowhere", user: "postgres" }),
    });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "ECONNREFUSED", transient: true });
  });

  it("a lock held elsewhere beyond the migration's timeout is a lock timeout (55P03), transient", async () => {
    const target = tenantTarget(db.name, "locked");
    expect((await executeTarget({ catalog: base, target, withClient: db.withClient })).status).toBe("succeeded");
    const catalog = await withAccounts("-- timeout: 1s\n-- migrate:up\nALTER TABLE accounts ADD COLUMN name text;\n");

    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("begin; lock table tenant_locked.accounts in access exclusive mode");
      const result = await executeTarget({ catalog, target, withClient: db.withClient });
      expect(result.error).toMatchObject({ code: "55P03", transient: true, file: "tenant/0002_next.sql", line: 3 });
      await holder.query("rollback");
      // Once the lock is gone, the retry applies it.
      expect(await executeTarget({ catalog, target, withClient: db.withClient })).toMatchObject({ status: "succeeded", appliedCount: 1 });
    } finally {
      await holder.end();
    }
  });

  it("the server terminating the session (57P01) is transient, and its transaction left nothing behind", async () => {
    const target = tenantTarget(db.name, "killed");
    const catalog = await withAccounts("-- migrate:up\nCREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n");
    const killer = new pg.Client({ connectionString: db.url });
    await killer.connect();
    try {
      const running = executeTarget({ catalog, target, withClient: db.withClient });
      let killed = 0;
      // Within the sleep's 30 s, however slow the machine: the session is ended only once it sleeps.
      for (const deadline = Date.now() + 25_000; Date.now() < deadline && killed === 0; ) {
        await new Promise((r) => setTimeout(r, 50));
        const { rows } = await killer.query<{ ok: boolean }>(
          // The migration reaches the server as one message with its history row: find the statement
          // inside it, and wait until the server is in it (not still creating the table on line 2).
          `select pg_terminate_backend(pid) as ok from pg_stat_activity
            where datname = $1 and pid <> pg_backend_pid() and query like '%SELECT pg_sleep(30);%' and wait_event = 'PgSleep'`,
          [db.name],
        );
        killed = rows.length;
      }
      const result = await running;
      expect(result.error).toMatchObject({ code: "57P01", transient: true, file: "tenant/0002_next.sql", line: 3 });
      expect(result.migrations.map((m) => m.status)).toEqual(["applied", "failed"]);
      const { rows } = await killer.query("select to_regclass('tenant_killed.slow') as rel");
      expect(rows[0].rel).toBeNull();
    } finally {
      await killer.end();
    }
  });

  it("a database closed for maintenance (ALLOW_CONNECTIONS false: 55000 while connecting) is transient, and applies once it opens", async () => {
    const target = tenantTarget(db.name, "maintenance");
    await adminQuery(`alter database "${db.name}" allow_connections false`);
    try {
      const refused = await executeTarget({ catalog: base, target, withClient: db.withClient });
      expect(refused.status).toBe("failed");
      expect(refused.error).toMatchObject({ code: "55000", transient: true });
      expect(refused.error!.message).toMatch(/not currently accepting connections/);
      const rehearsal = await rehearseTarget({ catalog: base, target, withClient: db.withClient });
      expect(rehearsal.error).toMatchObject({ code: "55000", transient: true });
    } finally {
      await adminQuery(`alter database "${db.name}" allow_connections true`);
    }
    expect(await executeTarget({ catalog: base, target, withClient: db.withClient })).toMatchObject({ status: "succeeded", appliedCount: 1 });
  });

  it("55000 from a migration's statement is the SQL's problem (an object in the wrong state), not transient", async () => {
    const target = tenantTarget(db.name, "prerequisite");
    const catalog = await withAccounts("-- migrate:up\nCREATE SEQUENCE s;\nSELECT currval('s');\n");
    const result = await executeTarget({ catalog, target, withClient: db.withClient });
    expect(result.error).toMatchObject({ code: "55000", transient: false, file: "tenant/0002_next.sql", line: 3 });
  });

  it("a statement running past its timeout (57014) is not transient: it would time out again", async () => {
    const target = tenantTarget(db.name, "slow");
    const catalog = await withAccounts("-- timeout: 300ms\n-- migrate:up\nSELECT pg_sleep(2);\n");
    const result = await executeTarget({ catalog, target, withClient: db.withClient });
    expect(result.error).toMatchObject({ code: "57014", transient: false, line: 3 });
  });
});
