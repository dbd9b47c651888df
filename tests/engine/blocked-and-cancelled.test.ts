import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { acceptDrift, readTargetHistory } from "../../server/migrations/engine/history-repository";
import { catalogOf, createFleetDatabase, tenantTarget } from "./engine-fixture";

let db: Awaited<ReturnType<typeof createFleetDatabase>>;

const files = {
  "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n",
  "tenant/0002_notes.sql": "-- migrate:up\nCREATE TABLE notes (id int);\n",
  "tenant/0003_tags.sql": "-- migrate:up\nCREATE TABLE tags (id int);\n",
};

beforeAll(async () => {
  db = await createFleetDatabase("eng_blocked");
});

afterAll(async () => {
  await db?.drop();
});

describe("a target with drift", () => {
  it("runs nothing until an operator accepts the changed file", async () => {
    const target = tenantTarget(db.name, "drift");
    const original = await catalogOf({ "tenant/0001_accounts.sql": files["tenant/0001_accounts.sql"] });
    expect((await executeTarget({ catalog: original, target, withClient: db.withClient })).appliedCount).toBe(1);

    // Someone edits the applied file (a comment is enough) and adds a new migration.
    const edited = await catalogOf({ ...files, "tenant/0001_accounts.sql": `-- tidied\n${files["tenant/0001_accounts.sql"]}` });
    const blocked = await executeTarget({ catalog: edited, target, withClient: db.withClient });
    expect(blocked.status).toBe("blocked");
    expect(blocked.error).toMatchObject({ code: "drift", file: "tenant/0001_accounts.sql", transient: false });
    expect(blocked.appliedCount).toBe(0);
    expect(await db.withClient((c) => readTargetHistory(c, "tenant_drift"))).toHaveLength(1);

    const accepted = await db.withClient((c) => acceptDrift(c, "tenant_drift", "0001", edited.byId.get("tenant/0001_accounts")!.checksum));
    expect(accepted).toBe(true);
    const after = await executeTarget({ catalog: edited, target, withClient: db.withClient });
    expect(after).toMatchObject({ status: "succeeded", appliedCount: 2 });
  });
});

describe("cancelling an execution", () => {
  it("lets the running migration finish and skips the ones after it", async () => {
    const target = tenantTarget(db.name, "cancel");
    const catalog = await catalogOf(files);
    const controller = new AbortController();
    const result = await executeTarget({
      catalog,
      target,
      withClient: db.withClient,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "migration_started") controller.abort();
      },
    });
    expect(result.status).toBe("cancelled");
    expect(result.migrations.map((m) => m.status)).toEqual(["applied", "skipped", "skipped"]);
    expect((await db.withClient((c) => readTargetHistory(c, "tenant_cancel"))).map((r) => r.version)).toEqual(["0001"]);
  });
});
