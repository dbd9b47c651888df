import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as catalogRoute from "../../app/api/migrations/catalog/route";
import * as planRoute from "../../app/api/migrations/dynamic/plan/route";
import * as migrationsHealthRoute from "../../app/api/migrations/health/route";
import { getSettings } from "../../server/config/settings";
import { getLogger } from "../../server/logging/logger";
import { getCatalogState, resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { startCatalogWatch } from "../../server/migrations/plans/catalog-watch";
import { call } from "../support/api-call";
import { BROKEN_CATALOG_PROBLEMS, writeBrokenCatalog } from "../support/broken-catalog";
import { executeOrThrow, waitForEnd } from "../executions/exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";

/**
 * Issue 13, item 5: a catalog with a defect of every kind. Each is reported with its file and line
 * (API, health, logs at start-up and on reload); the console keeps running, and only the tiers with
 * a problem are kept from planning: the admin tier plans and executes.
 */

let env: ExecutionEnv;
let dir: string;

beforeAll(async () => {
  dir = writeBrokenCatalog();
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 2, catalogDir: dir, prefix: "catp" });
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(dir, { recursive: true, force: true });
});

const get = (handler: Parameters<typeof call>[0], p: string, query?: Record<string, string>) =>
  call(handler, "GET", p, { token: env.tokens.viewer, query });

/** Captures what the catalog store logs (it logs through a child of the process logger). */
function captureLogs() {
  const lines: { level: string; msg: string }[] = [];
  const record = (level: string) => (_obj: unknown, msg: string) => lines.push({ level, msg });
  const spy = vi
    .spyOn(getLogger(), "child")
    .mockImplementation(() => ({ warn: record("warn"), info: record("info"), error: record("error") }) as never);
  return { lines, restore: () => spy.mockRestore() };
}

describe("a catalog with problems", () => {
  it("is loaded at start-up with every problem logged by file and line, and logged again on reload", async () => {
    resetCatalogStore();
    const logs = captureLogs();
    try {
      const watch = await startCatalogWatch(getSettings());
      await watch.stop();
      const warning = logs.lines.find((l) => l.level === "warn")!;
      expect(warning.msg).toContain("tiers not planned until fixed: shared, tenant");
      for (const [, file, line] of BROKEN_CATALOG_PROBLEMS) expect(warning.msg).toContain(`${file}:${line}: `);

      // A fixed file is seen on the next look at the folder, and the reload is logged too.
      logs.lines.length = 0;
      writeFileSync(path.join(dir, "tenant/0005_directive.sql"), "-- transaction: false\n-- migrate:up\nSELECT 1;\n");
      await getCatalogState({ maxAgeMs: 0 });
      const reload = logs.lines.find((l) => l.level === "warn")!;
      expect(reload.msg).not.toContain("tenant/0005_directive.sql");
      expect(reload.msg).toContain("tenant/0002_contacts.sql:4: ");
    } finally {
      logs.restore();
      writeFileSync(path.join(dir, "tenant/0005_directive.sql"), "-- transaction: sometimes\n-- migrate:up\nSELECT 1;\n");
      resetCatalogStore();
    }
  });

  it("GET /api/migrations/catalog lists the files that load and names each problem's file, line and reason", async () => {
    const res = await get(catalogRoute.GET, "/api/migrations/catalog");
    expect(res.status, res.text).toBe(200);
    expect(res.json.problems.map((p: { code: string; file: string; line: number }) => [p.code, p.file, p.line])).toEqual(
      BROKEN_CATALOG_PROBLEMS,
    );
    const byFile = Object.fromEntries(res.json.problems.map((p: { file: string; message: string }) => [p.file, p.message]));
    expect(byFile["tenant/0002_contacts.sql"]).toMatch(/^tenant\/0002_contacts\.sql:4: syntax error at or near "text"/);
    expect(byFile["tenant/1_accounts_again.sql"]).toContain("tenant/0001_accounts.sql");
    expect(byFile["tenant/0004_no_up.sql"]).toContain('no "-- migrate:up" section');
    expect(byFile["shared/0001_currencies.sql"]).toMatch(/cannot read/);
    expect(res.json.broken_tiers).toEqual(["shared", "tenant"]);
    // The dbmate-style irreversible file loads, without a down part.
    expect(res.json.migrations.map((m: { id: string; has_down: boolean }) => [m.id, m.has_down])).toEqual([
      ["admin/0001_plans", true],
      ["admin/0002_flags", false],
    ]);
  });

  it("GET /api/migrations/health is degraded and lists the problems", async () => {
    const res = await get(migrationsHealthRoute.GET, "/api/migrations/health");
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("degraded");
    expect(res.json.engine).toMatchObject({ catalog_loaded: true, migrations: 2, broken_tiers: ["shared", "tenant"] });
    expect(res.json.engine.problems.map((p: { file: string; line: number }) => `${p.file}:${p.line}`)).toEqual(
      BROKEN_CATALOG_PROBLEMS.map(([, file, line]) => `${file}:${line}`),
    );
  });

  it("plans block the targets of the broken tiers, naming the problems, and plan the admin tier", async () => {
    const res = await get(planRoute.GET, "/api/migrations/dynamic/plan", { scope: "all" });
    expect(res.status, res.text).toBe(200);
    const byType = (type: string) => res.json.targets.filter((t: { database_type: string }) => t.database_type === type);
    expect(byType("admin")).toEqual([expect.objectContaining({ status: "pending", pending: ["admin/0001_plans", "admin/0002_flags"] })]);
    for (const t of [...byType("shared"), ...byType("tenant")]) {
      expect(t.status).toBe("blocked");
      expect(t.pending).toEqual([]);
    }
    const tenantReasons = byType("tenant")[0].blocked_reasons.join("\n");
    expect(tenantReasons).toContain("the catalog's tenant tier has a problem: tenant/0002_contacts.sql:4: ");
    expect(tenantReasons).not.toContain("shared/0001_currencies.sql");
    expect(byType("shared")[0].blocked_reasons.join("\n")).toContain("shared/0001_currencies.sql:1: cannot read");
  });

  it("an admin execution runs to completion beside the broken tenant tier", async () => {
    const id = await executeOrThrow(env.tokens.operator, { scope: "admin" });
    const done = await waitForEnd(env.tokens.operator, id);
    expect(done.status).toBe("completed");
    expect(done.targets[0].migrations.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
      ["admin/0001_plans", "applied"],
      ["admin/0002_flags", "applied"],
    ]);
  });
});
