import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../server/migrations/engine/catalog";
import { executeTarget, type TargetRunResult } from "../../server/migrations/engine/execute-target";
import { acquireTargetLock, releaseTargetLock } from "../../server/migrations/engine/target-lock";
import type { Catalog } from "../../server/migrations/engine/types";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { createFleetDatabase, query, sharedTarget, tenantTarget } from "./engine-fixture";

const run = promisify(execFile);
const CHILD = path.resolve("tests/engine/execute-in-child.ts");

let catalog: Catalog;
let db: Awaited<ReturnType<typeof createFleetDatabase>>;

beforeAll(async () => {
  catalog = await loadCatalog(EXAMPLES_DIR);
  db = await createFleetDatabase("eng_conc");
  const shared = await executeTarget({ catalog, target: sharedTarget(db.name), withClient: db.withClient });
  expect(shared.status).toBe("succeeded");
});

afterAll(async () => {
  await db?.drop();
});

/** Each migration must be applied by exactly one of the runs and skipped by all the others. */
function expectExactlyOnce(results: TargetRunResult[]) {
  for (const r of results) expect(r.error).toBeUndefined();
  expect(results.map((r) => r.status)).toEqual(results.map(() => "succeeded"));
  expect(results.reduce((n, r) => n + r.appliedCount, 0)).toBe(catalog.byTier.tenant.length);
  for (const m of catalog.byTier.tenant) {
    const statuses = results.map((r) => r.migrations.find((o) => o.id === m.id)!.status).sort();
    expect(statuses).toEqual(["applied", ...results.slice(1).map(() => "skipped")]);
  }
}

async function historyOf(schema: string) {
  return query<{ version: string; n: number }>(
    db.url,
    `select version, count(*)::int as n from "${schema}"._schema_migrations group by version order by version`,
  );
}

describe("two executions of one target at the same time", () => {
  it("in two separate processes: every migration is applied exactly once", async () => {
    const target = tenantTarget(db.name, "twoproc");
    const startAt = String(Date.now() + 2500);
    const children = [0, 1].map(() =>
      run(process.execPath, ["--import", "tsx", CHILD, EXAMPLES_DIR, db.url, JSON.stringify(target), startAt], {
        env: { ...process.env, LOG_LEVEL: "silent" },
        timeout: 60_000,
      }),
    );
    const results = (await Promise.all(children)).map((c) => JSON.parse(c.stdout) as TargetRunResult);
    expectExactlyOnce(results);
    expect(await historyOf("tenant_twoproc")).toEqual(catalog.byTier.tenant.map((m) => ({ version: m.version, n: 1 })));
  });

  it("in three sessions of one process racing from a cold start: still exactly once", async () => {
    const target = tenantTarget(db.name, "race");
    const results = await Promise.all([0, 1, 2].map(() => executeTarget({ catalog, target, withClient: db.withClient })));
    expectExactlyOnce(results);
    expect(await historyOf("tenant_race")).toHaveLength(catalog.byTier.tenant.length);
  });

  it("gives up with target_busy when another session keeps the target longer than the wait bound", async () => {
    const target = tenantTarget(db.name, "busy");
    await db.withClient(async (holder) => {
      await acquireTargetLock(holder, target);
      const started = Date.now();
      const result = await executeTarget({ catalog, target, withClient: db.withClient, lockWaitMs: 400 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(result.status).toBe("failed");
      expect(result.error).toMatchObject({ code: "target_busy", transient: false });
      expect(result.error!.message).toContain(`${db.name}/tenant_busy is busy`);
      expect(result.migrations.every((m) => m.status === "pending")).toBe(true);
      await releaseTargetLock(holder, target);
    });
    const after = await executeTarget({ catalog, target, withClient: db.withClient, lockWaitMs: 400 });
    expect(after).toMatchObject({ status: "succeeded", appliedCount: catalog.byTier.tenant.length });
  });
});
