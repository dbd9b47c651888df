import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as approveRoute from "../../app/api/migrations/[id]/approve/route";
import * as planRoute from "../../app/api/migrations/dynamic/plan/route";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { userTokens } from "../support/dev-realm";
import { setEnv } from "../support/test-env";
import { execute, executeOrThrow, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/**
 * The review policy and the size-aware rehearsal on a real fleet: a tenant table of 2 million rows
 * (generate_series, then ANALYZE so reltuples is right) and a migration that indexes it without
 * CONCURRENTLY. The rehearsal measures the table and flags the statement with its row count; the
 * policy then refuses (`block`) naming the rule and the statement, asks for a passed rehearsal of
 * the same plan, or makes the execution wait for a second operator (`require_approval`) although
 * REQUIRE_APPROVAL is off.
 */

const ROWS = 2_000_000;
let env: ExecutionEnv;
let approver: string;
let dir: string;
let big: { schema: string };

const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);
const policy = (json: unknown) => {
  write("policy.json", JSON.stringify(json));
  setEnv({ REVIEW_POLICY_FILE: path.join(dir, "policy.json") });
};
const plan = async () => (await call(planRoute.GET, "GET", "/api/migrations/dynamic/plan", { token: env.tokens.viewer, query: { scope: "tenant" } })).json;
const approve = (id: string, token: string) => call(approveRoute.POST, "POST", `/api/migrations/${id}/approve`, { token, params: { id } });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "review-policy-"));
  const catalog = path.join(dir, "catalog");
  mkdirSync(path.join(catalog, "tenant"), { recursive: true });
  writeFileSync(
    path.join(catalog, "tenant/0001_items.sql"),
    "-- migrate:up\nCREATE TABLE items (id bigint NOT NULL, v integer NOT NULL);\n\n-- migrate:down\nDROP TABLE items;\n",
  );
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 2, prefix: "rvp", catalogDir: catalog });
  approver = (await userTokens(env.tokens.realm, "approver")).access_token;
  // Every tenant gets its table; then the big one fills up and the index migration arrives.
  const first = await executeOrThrow(env.tokens.operator, { scope: "tenant" });
  expect((await waitForEnd(env.tokens.viewer, first)).status).toBe("completed");
  big = env.fleet.tenants[0]!;
  await onDatabase(
    env.fleet.shared.eu!.db.url,
    `insert into "${big.schema}".items (id, v) select g, g % 1000 from generate_series(1, ${ROWS}) g; analyze "${big.schema}".items`,
  );
  writeFileSync(
    path.join(catalog, "tenant/0002_items_v_index.sql"),
    "-- Reports look items up by v.\n\n-- migrate:up\nCREATE INDEX items_v_idx ON items (v);\n\n-- migrate:down\nDROP INDEX items_v_idx;\n",
  );
  resetCatalogStore();
}, 120_000);

afterAll(async () => {
  setEnv({ REVIEW_POLICY_FILE: "" });
  await stopExecutionEnv(env);
  rmSync(dir, { recursive: true, force: true });
});

describe("size-aware rehearsal", () => {
  it("measures the 2 million-row table and flags the non-concurrent index with its row count", async () => {
    const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", dry_run: true });
    const done = await waitForEnd(env.tokens.viewer, id, 90_000);
    expect(done.status).toBe("completed");

    const target = done.targets.find((t: { schema_name: string }) => t.schema_name === big.schema);
    const index = target.migrations.find((m: { id: string }) => m.id === "tenant/0002_items_v_index");
    expect(index.status).toBe("would_apply");
    expect(index.relations).toEqual([{ name: `${big.schema}.items`, lock: "ShareLock", rows: expect.any(Number), bytes: expect.any(Number), rewritten: false }]);
    expect(Math.abs(index.relations[0].rows - ROWS)).toBeLessThan(ROWS * 0.01);

    // On the rehearsal: the statement, the row count, the biggest target and an estimated lock time.
    expect(done.size_review.flags).toHaveLength(1);
    const flag = done.size_review.flags[0];
    expect(flag).toMatchObject({
      rule: "index_build_on_large_table",
      level: "warn",
      migration_id: "tenant/0002_items_v_index",
      file: "tenant/0002_items_v_index.sql",
      line: 4,
      relation: "items",
      lock: "ShareLock",
      targets: 1,
    });
    expect(flag.message).toMatch(/^tenant\/0002_items_v_index\.sql:4: items holds 2,0\d\d,\d{3} rows|^tenant\/0002_items_v_index\.sql:4: items holds 1,9\d\d,\d{3} rows/);
    expect(flag.biggest[0]).toMatchObject({ target: `shared-eu/${big.schema}`, schema_name: big.schema, execution_id: id });
    expect(flag.biggest[0].estimated_lock_ms).toBeGreaterThan(0);
    expect(flag.ms_per_row).toBeGreaterThan(0);

    // The small tenant's table is measured too, and stays under the threshold.
    const small = done.targets.find((t: { schema_name: string }) => t.schema_name !== big.schema);
    expect(small.migrations[0].relations[0]).toMatchObject({ lock: "ShareLock", rewritten: false });

    // On the plan: the same flag, read from the latest rehearsal of each target.
    const p = await plan();
    expect(p.review.size.rehearsed_targets).toBe(2);
    expect(p.review.size.flags.map((f: { rule: string; line: number }) => `${f.rule}@${f.line}`)).toEqual(["index_build_on_large_table@4"]);
    expect(p.warnings).toEqual([expect.objectContaining({ code: "non_concurrent_index", level: "warn", line: 4 })]);
    expect(p.review).toMatchObject({ outcome: "warn", policy: null });
  });
});

describe("review policy", () => {
  afterAll(() => setEnv({ REVIEW_POLICY_FILE: "" }));

  it("block: refuses with 422 naming the rule, the file and line, and the statement", async () => {
    policy({ rules: { non_concurrent_index: "block" } });
    const res = await execute(env.tokens.operator, { scope: "tenant" });
    expect(res.status, res.text).toBe(422);
    expect(res.json.error).toBe("policy_blocked");
    expect(res.json.message).toContain("non_concurrent_index at tenant/0002_items_v_index.sql:4 (CREATE INDEX items_v_idx ON items (v))");
    expect(res.json.details.rules).toEqual(["non_concurrent_index"]);
    expect(res.json.details.findings[0]).toMatchObject({ rule: "non_concurrent_index", level: "block", file: "tenant/0002_items_v_index.sql", line: 4 });
    expect((await plan()).warnings[0].level).toBe("block");

    // A size flag can block too: the index on the 2 million-row table.
    policy({ rules: { index_build_on_large_table: "block" } });
    const sized = await execute(env.tokens.operator, { scope: "tenant" });
    expect(sized.status).toBe(422);
    expect(sized.json.details.rules).toEqual(["index_build_on_large_table"]);
    expect(sized.json.message).toContain("index_build_on_large_table at tenant/0002_items_v_index.sql:4");
    // Rehearsals stay allowed: they are how the sizes are measured.
    expect((await execute(env.tokens.operator, { scope: "tenant", dry_run: true })).status).toBe(202);
  });

  it("asks for a passed rehearsal of the same plan when the policy says so", async () => {
    policy({ require_rehearsal_within_hours: 1, rules: { non_concurrent_index: "require_approval" } });
    // A new tenant changes the plan: the rehearsals so far were of another fingerprint.
    await env.fleet.addTenants("eu", ["latecomer"]);
    const refused = await execute(env.tokens.operator, { scope: "tenant" });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json).toMatchObject({ error: "rehearsal_required", details: { rule: "require_rehearsal", within_hours: 1 } });
    expect((await plan()).review.outcome).toBe("block");

    const rehearsal = await executeOrThrow(env.tokens.operator, { scope: "tenant", dry_run: true });
    // The latecomer has no items table yet: its rehearsal runs both files and passes.
    expect((await waitForEnd(env.tokens.viewer, rehearsal, 90_000)).status).toBe("completed");
    expect((await plan()).review).toMatchObject({ last_passed_rehearsal: { id: rehearsal }, outcome: "require_approval" });
  });

  it("require_approval: the execution waits for a second operator although REQUIRE_APPROVAL is off", async () => {
    setEnv({ REQUIRE_APPROVAL: "false" });
    const res = await execute(env.tokens.operator, { scope: "tenant" });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ status: "pending", awaiting_approval: true });
    expect(res.json.metadata.review.requires_approval[0]).toMatchObject({ rule: "non_concurrent_index", level: "require_approval", line: 4 });

    const self = await approve(res.json.id, env.tokens.operator);
    expect(self.status).toBe(403);
    const ok = await approve(res.json.id, approver);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ status: "in_progress", approved_by: "approver" });
    expect((await waitForEnd(env.tokens.viewer, res.json.id, 90_000)).status).toBe("completed");
    const { rows: [row] } = await onDatabase<{ n: string }>(env.fleet.shared.eu!.db.url, `select count(*) as n from pg_indexes where schemaname = $1 and indexname = 'items_v_idx'`, [big.schema]);
    expect(Number(row!.n)).toBe(1);
  });
});
