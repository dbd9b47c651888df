import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../server/migrations/engine/catalog";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { rehearseTarget } from "../../server/migrations/engine/rehearse-target";
import type { Catalog } from "../../server/migrations/engine/types";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { catalogOf, createFleetDatabase, query, sharedTarget, snapshotSchemas, tenantTarget } from "./engine-fixture";

type FleetDb = Awaited<ReturnType<typeof createFleetDatabase>>;

let catalog: Catalog;
let db: FleetDb;

beforeAll(async () => {
  catalog = await loadCatalog(EXAMPLES_DIR);
  db = await createFleetDatabase("eng_rehearse");
  expect((await executeTarget({ catalog, target: sharedTarget(db.name), withClient: db.withClient })).status).toBe("succeeded");
});

afterAll(async () => {
  await db?.drop();
});

const statuses = (migrations: { id: string; status: string }[]) => Object.fromEntries(migrations.map((m) => [m.id, m.status]));

describe("rehearsing pending migrations on a real target", () => {
  it("reports what would apply, with the locks it takes on existing tables, and leaves the target exactly as it was", async () => {
    const target = tenantTarget(db.name, "acme");
    await executeTarget({ catalog, target, withClient: db.withClient, migrationIds: ["tenant/0001_accounts"] });
    await query(db.url, "insert into tenant_acme.accounts (name) values ('Globex')");
    const before = await snapshotSchemas(db.url, ["tenant_acme", "public"]);

    const result = await rehearseTarget({ catalog, target, withClient: db.withClient });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe("would_apply");
    expect(statuses(result.migrations)).toEqual({
      "tenant/0001_accounts": "skipped",
      "tenant/0002_contacts": "would_apply",
      "tenant/0003_invoices": "would_apply",
      "tenant/0004_invoice_lines": "would_apply",
      "tenant/0005_invoices_due_date_index": "not_rehearsable",
      "tenant/0006_accounts_plan": "would_apply",
    });
    const locks = Object.fromEntries(result.migrations.map((m) => [m.id, m.locks ?? []]));
    expect(locks["tenant/0002_contacts"]).toContain("ShareRowExclusiveLock on tenant_acme.accounts");
    expect(locks["tenant/0003_invoices"]).toContain("ShareRowExclusiveLock on public.currencies");
    expect(locks["tenant/0006_accounts_plan"]).toContain("AccessExclusiveLock on tenant_acme.accounts");
    // Tables the rehearsal itself created block nobody and are not listed.
    expect(Object.values(locks).flat().some((l) => l.includes("invoice_lines"))).toBe(false);
    expect(result.migrations.find((m) => m.id === "tenant/0005_invoices_due_date_index")!.error?.message).toContain(
      "transaction: false",
    );

    expect(await snapshotSchemas(db.url, ["tenant_acme", "public"])).toEqual(before);
  });

  it("pins a failure to its file and line and keeps rehearsing the later migrations against the earlier ones", async () => {
    const broken = await catalogOf({
      "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n",
      "tenant/0002_notes.sql": "-- migrate:up\nCREATE TABLE notes (id int, account_id int);\n",
      "tenant/0003_broken.sql": "-- migrate:up\nINSERT INTO notes (id, acount_id)\nVALUES (1, 1);\n",
      "tenant/0004_notes_index.sql": "-- migrate:up\nCREATE INDEX notes_account_idx ON notes (account_id);\n",
    });
    const target = tenantTarget(db.name, "broken");
    await executeTarget({ catalog: broken, target, withClient: db.withClient, migrationIds: ["tenant/0001_accounts"] });
    const before = await snapshotSchemas(db.url, ["tenant_broken"]);

    const result = await rehearseTarget({ catalog: broken, target, withClient: db.withClient });

    expect(result.status).toBe("would_fail");
    expect(statuses(result.migrations)).toEqual({
      "tenant/0001_accounts": "skipped",
      "tenant/0002_notes": "would_apply",
      "tenant/0003_broken": "would_fail",
      "tenant/0004_notes_index": "would_apply",
    });
    expect(result.migrations[2]!.error).toMatchObject({
      code: "42703",
      message: 'column "acount_id" of relation "notes" does not exist',
      file: "tenant/0003_broken.sql",
      line: 2,
    });
    expect(await snapshotSchemas(db.url, ["tenant_broken"])).toEqual(before);
  });

  it("rehearses a pending shared requirement first when it lives in the same database, then rolls both back", async () => {
    const fresh = await createFleetDatabase("eng_rehearse_fresh");
    try {
      const shared = sharedTarget(fresh.name);
      const tenant = tenantTarget(fresh.name, "new");
      const before = await snapshotSchemas(fresh.url, ["public", "tenant_new"]);

      // Alone, the tenant's invoices cannot find the region's currencies…
      const alone = await rehearseTarget({ catalog, target: tenant, withClient: fresh.withClient });
      expect(alone.migrations.find((m) => m.id === "tenant/0003_invoices")).toMatchObject({
        status: "would_fail",
        error: expect.objectContaining({ code: "42P01", file: "tenant/0003_invoices.sql" }),
      });

      // …with the shared target's pending migrations rehearsed first in the same transaction, they can.
      const together = await rehearseTarget({
        catalog,
        target: tenant,
        withClient: fresh.withClient,
        providers: [{ target: shared, migrationIds: catalog.byTier.shared.map((m) => m.id) }],
      });
      expect(together.error).toBeUndefined();
      expect(together.status).toBe("would_apply");
      expect(together.providers[0]!.migrations.every((m) => m.status === "would_apply")).toBe(true);
      expect(statuses(together.migrations)["tenant/0003_invoices"]).toBe("would_apply");

      expect(await snapshotSchemas(fresh.url, ["public", "tenant_new"])).toEqual(before);
      expect(before.namespaces).toEqual([{ nspname: "public" }]);
    } finally {
      await fresh.drop();
    }
  });
});
