import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { readTargetHistory } from "../../server/migrations/engine/history-repository";
import { planMigrations } from "../../server/migrations/engine/plan";
import { targetKey } from "../../server/migrations/engine/types";
import { catalogOf, createFleetDatabase, query, tenantTarget } from "./engine-fixture";

let db: Awaited<ReturnType<typeof createFleetDatabase>>;

beforeAll(async () => {
  db = await createFleetDatabase("eng_ver");
});

afterAll(async () => {
  await db?.drop();
});

describe("versions are numbers", () => {
  it("9_x runs before 10_x on a real target, and a history written as 1 is the file 0001", async () => {
    // 10 alters what 9 creates: run in text order (10 before 9) it would fail.
    const catalog = await catalogOf({
      "tenant/10_accounts_email.sql": "-- migrate:up\nALTER TABLE accounts ADD COLUMN email text;\n",
      "tenant/9_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n",
      "tenant/0001_settings.sql": "-- migrate:up\nCREATE TABLE settings (key text PRIMARY KEY);\n",
    });
    const target = tenantTarget(db.name, "acme");
    const result = await executeTarget({ catalog, target, withClient: db.withClient });
    expect(result.status, JSON.stringify(result.error)).toBe("succeeded");
    expect(result.migrations.map((m) => m.id)).toEqual(["tenant/0001_settings", "tenant/9_accounts", "tenant/10_accounts_email"]);
    const columns = await query<{ column_name: string }>(
      db.url,
      "select column_name from information_schema.columns where table_schema = $1 and table_name = 'accounts' order by ordinal_position",
      [target.schemaName],
    );
    expect(columns.map((c) => c.column_name)).toEqual(["id", "email"]);

    // The same files renamed with zero padding are the same versions: nothing is pending or run twice.
    const padded = await catalogOf({
      "tenant/0010_accounts_email.sql": "-- migrate:up\nALTER TABLE accounts ADD COLUMN email text;\n",
      "tenant/0009_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n",
      "tenant/1_settings.sql": "-- migrate:up\nCREATE TABLE settings (key text PRIMARY KEY);\n",
    });
    const history = await db.withClient((client) => readTargetHistory(client, target.schemaName));
    const plan = planMigrations({ catalog: padded, targets: [target], histories: new Map([[targetKey(target), history]]) });
    expect(plan.targets[0]).toMatchObject({ status: "up_to_date", pending: [], drift: [], appliedCount: 3 });
    const again = await executeTarget({ catalog: padded, target, withClient: db.withClient });
    expect(again.migrations.map((m) => m.status)).toEqual(["skipped", "skipped", "skipped"]);
  });
});
