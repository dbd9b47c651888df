import { rmSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/api/audit/route";
import * as cancelRoute from "../../app/api/migrations/[id]/cancel/route";
import * as listRoute from "../../app/api/migrations/route";
import { acquireTargetLock, releaseTargetLock } from "../../server/migrations/engine/target-lock";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { waitFor } from "../support/test-env";
import { executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";
import type { FleetTenant } from "./fleet-env";
import { executionCount, history, retry, rollback, rollbackPlan, schemaSnapshot, tables, versions, writeCatalog } from "./rollback-fixture";

/**
 * Rolling back and retrying what did not complete: a failed execution rolls back exactly what it
 * applied (the failed target's earlier migrations included, nothing it did not run), one target of
 * an execution rolls back alone and the rest after it, and a failed or cancelled execution's
 * unfinished targets are retried, planned fresh, to the catalog's head. Real PostgreSQL, a real
 * worker; the failure is a SQL error the test plants (a table 0003 creates already exists).
 */

let env: ExecutionEnv;
let catalogDir: string;
let url: string;

beforeAll(async () => {
  catalogDir = writeCatalog();
  // Cancels reach running targets by a poll; a slow one here shows that a target which waited for
  // its lock asks for itself before it runs anything (see "after a cancel").
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 0, catalogDir, prefix: "rba", env: { MIGRATION_POLL_INTERVAL_MS: "60000" } });
  url = env.fleet.shared.eu!.db.url;
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const ALL = ["0001", "0002", "0003"];
const label = (t: FleetTenant) => `shared-eu/${t.schema}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
const targetOf = (detail: { targets: any[] }, t: FleetTenant) => detail.targets.find((x) => x.schema_name === t.schema)!;

/** Tenants whose `notes` table exists before the execution, so its 0003 fails with 42P07. */
async function tenantsWithTrap(slugs: string[], trapped: string[]): Promise<FleetTenant[]> {
  const added = await env.fleet.addTenants("eu", slugs);
  for (const t of added.filter((a) => trapped.includes(a.slug))) await onDatabase(url, `create table "${t.schema}".notes (kept text)`);
  return added;
}

async function executeTenants(ts: FleetTenant[]): Promise<{ id: string; detail: Awaited<ReturnType<typeof waitForEnd>> }> {
  const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: ts.map((t) => t.id) });
  return { id, detail: await waitForEnd(env.tokens.viewer, id) };
}

describe("rolling back a failed execution", () => {
  it("reverts exactly what it applied on each target (the failed one's earlier migrations too), newest first, and the original reads rolled back with its failure kept", async () => {
    const [a, b, c] = await tenantsWithTrap(["fa-a", "fa-b", "fa-c"], ["fa-b"]);
    const before = await schemaSnapshot(url, [a!, b!, c!]);
    const { id, detail } = await executeTenants([a!, b!, c!]);
    expect(detail.status).toBe("failed");
    expect(targetOf(detail, b!).status).toBe("failed");
    expect(targetOf(detail, b!).error.code).toBe("42P07");
    expect(await versions(url, a!)).toEqual(ALL);
    expect(await versions(url, b!)).toEqual(["0001", "0002"]);

    // The plan first: per target newest first, nothing refused.
    const plan = await rollbackPlan(env.tokens.viewer, { execution_id: id });
    expect(plan.status, plan.text).toBe(200);
    expect(plan.json.can_roll_back).toBe(true);
    expect(plan.json.totals).toEqual({ targets: 3, migrations: 8, left_out: 0, refusals: 0 });
    expect(plan.json.page).toEqual({ total: 3, limit: 500, offset: 0 });
    // A page at a time: the pages put together are the plan's targets, in the same order.
    const paged = [];
    for (const offset of ["0", "1", "2"]) {
      const page = await rollbackPlan(env.tokens.viewer, { execution_id: id, limit: "1", offset });
      expect(page.json.totals).toEqual(plan.json.totals);
      paged.push(...page.json.targets);
    }
    expect(paged).toEqual(plan.json.targets);
    const planned = Object.fromEntries(plan.json.targets.map((t: { schema_name: string; migrations: { id: string }[] }) => [t.schema_name, t.migrations.map((m) => m.id)]));
    expect(planned[b!.schema]).toEqual(["tenant/0002_contacts", "tenant/0001_accounts"]);
    expect(planned[a!.schema]).toEqual(["tenant/0003_notes", "tenant/0002_contacts", "tenant/0001_accounts"]);

    const res = await rollback(env.tokens.operator, { execution_id: id });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ kind: "rollback", dry_run: false, metadata: { rollback_of: id } });
    const done = await waitForEnd(env.tokens.viewer, res.json.id);
    expect(done.status).toBe("completed");
    expect(targetOf(done, b!).migrations.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
      ["tenant/0002_contacts", "rolled_back"],
      ["tenant/0001_accounts", "rolled_back"],
    ]);

    // The targets: their history tables are empty, the trap table the execution did not create is still there.
    for (const t of [a!, b!, c!]) expect(await history(url, t)).toEqual([]);
    expect(await tables(url, b!)).toEqual(["notes"]);
    expect(await tables(url, a!)).toEqual([]);
    const after = await schemaSnapshot(url, [a!, b!, c!]);
    const withoutHistory = (s: typeof before) => ({
      ...s,
      relations: s.relations.filter((r) => !String(r.relname).startsWith("_schema_migrations")),
      columns: s.columns.filter((col) => !String(col.rel).includes("_schema_migrations") && !col.attisdropped),
      indexes: s.indexes.filter((i) => !String(i.name).includes("_schema_migrations")),
      constraints: s.constraints.filter((con) => !String(con.conname).includes("_schema_migrations")),
      rowCounts: Object.fromEntries(Object.entries(s.rowCounts).filter(([k]) => !k.includes("_schema_migrations"))),
    });
    expect(withoutHistory(after)).toEqual(withoutHistory(before));

    const original = (await status(env.tokens.viewer, id)).json;
    expect(original.status).toBe("rolled_back");
    expect(original.error_message).toContain("1 failed");
    expect(original.metadata.rolled_back).toMatchObject({ status_before: "failed", by: res.json.id });
    // Nothing is left: rolling back again is refused, and so is a retry of what was undone.
    expect((await rollback(env.tokens.operator, { execution_id: id })).json.message).toContain("already rolled back");
    expect((await retry(env.tokens.operator, id)).status).toBe(409);
  });

  it("a rehearsal of it changes nothing, the original included, and reports per target what would be undone", async () => {
    const [a, b] = await tenantsWithTrap(["fr-a", "fr-b"], ["fr-b"]);
    const { id } = await executeTenants([a!, b!]);
    const before = await schemaSnapshot(url, [a!, b!]);

    const res = await rollback(env.tokens.operator, { execution_id: id, dry_run: true });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ kind: "rollback", dry_run: true, metadata: { rollback_of: id } });
    const done = await waitForEnd(env.tokens.viewer, res.json.id);
    expect(done.status).toBe("completed");
    expect(targetOf(done, a!).migrations.map((m: { status: string }) => m.status)).toEqual(["would_revert", "would_revert", "would_revert"]);
    expect(targetOf(done, a!).migrations[0].locks).toContain(`AccessExclusiveLock on ${a!.schema}.notes`);

    expect(await schemaSnapshot(url, [a!, b!])).toEqual(before);
    expect((await status(env.tokens.viewer, id)).json.status).toBe("failed");
    // A rehearsal is no rollback: the original's rollbacks list only real ones.
    const found = await call(listRoute.GET, "GET", "/api/migrations", { token: env.tokens.viewer, query: { rollback_of: id, dry_run: "false" } });
    expect(found.json.total).toBe(0);
  });
});

describe("rolling back one target of an execution", () => {
  it("undoes that target alone; the rest follows later, and only then does the original read rolled back", async () => {
    const [l, m] = await env.fleet.addTenants("eu", ["one-l", "one-m"]);
    const { id, detail } = await executeTenants([l!, m!]);
    expect(detail.status).toBe("completed");

    const res = await rollback(env.tokens.operator, { execution_id: id, target_ids: [targetOf(detail, l!).id] });
    expect(res.status, res.text).toBe(202);
    expect(res.json.targets.map((t: { schema_name: string }) => t.schema_name)).toEqual([l!.schema]);
    expect(res.json.metadata.target_ids).toEqual([targetOf(detail, l!).id]);
    expect((await waitForEnd(env.tokens.viewer, res.json.id)).status).toBe("completed");
    expect(await history(url, l!)).toEqual([]);
    expect((await history(url, m!)).map(([v, by]) => [v, by])).toEqual(ALL.map((v) => [v, id]));
    expect((await status(env.tokens.viewer, id)).json.status).toBe("completed");

    // The same target again: nothing left to undo there.
    const again = await rollback(env.tokens.operator, { execution_id: id, target_ids: [targetOf(detail, l!).id] });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain(`nothing to roll back on ${label(l!)}`);

    // The whole execution now: only M is left; L is listed as rolled back already.
    const plan = await rollbackPlan(env.tokens.viewer, { execution_id: id });
    expect(plan.json.targets.map((t: { schema_name: string }) => t.schema_name)).toEqual([m!.schema]);
    expect(plan.json.left_out).toEqual([{ execution_target_id: targetOf(detail, l!).id, target: label(l!), reason: "rolled back already" }]);
    const rest = await rollback(env.tokens.operator, { execution_id: id });
    expect(rest.status, rest.text).toBe(202);
    expect((await waitForEnd(env.tokens.viewer, rest.json.id)).status).toBe("completed");
    expect(await history(url, m!)).toEqual([]);
    const original = (await status(env.tokens.viewer, id)).json;
    expect(original.status).toBe("rolled_back");
    expect(original.metadata.rolled_back).toMatchObject({ status_before: "completed", by: rest.json.id });
  });

  it("refuses bad input with 422 naming the field, and a viewer with 403; nothing is recorded", async () => {
    const [t] = await env.fleet.addTenants("eu", ["one-bad"]);
    const { id } = await executeTenants([t!]);
    const count = await executionCount(env.fleet.env.controlPlane.url);

    const foreign = await rollback(env.tokens.operator, { execution_id: id, target_ids: ["00000000-0000-4000-8000-000000000000"] });
    expect(foreign.status).toBe(422);
    expect(foreign.json.details.fields[0]).toMatchObject({ field: "target_ids.0" });
    const notUuid = await rollback(env.tokens.operator, { execution_id: id, target_ids: ["nope"] });
    expect(notUuid.status).toBe(422);
    expect(notUuid.json.details.fields[0].field).toBe("target_ids.0");
    const empty = await rollback(env.tokens.operator, { execution_id: id, target_ids: [] });
    expect(empty.status).toBe(422);
    expect(empty.json.details.fields[0].field).toBe("target_ids");
    const planQuery = await rollbackPlan(env.tokens.viewer, {});
    expect(planQuery.status).toBe(422);
    expect(planQuery.json.details.fields[0].field).toBe("execution_id");
    expect((await rollback(env.tokens.viewer, { execution_id: id, dry_run: true })).status).toBe(403);
    expect((await retry(env.tokens.viewer, id)).status).toBe(403);

    expect(await executionCount(env.fleet.env.controlPlane.url)).toBe(count);
  });
});

describe("retrying a failed or cancelled execution", () => {
  it("runs only the failed targets, planned fresh, to the catalog's head; the ones that succeeded are left alone", async () => {
    const [d, e, f] = await tenantsWithTrap(["re-d", "re-e", "re-f"], ["re-e"]);
    const { id, detail } = await executeTenants([d!, e!, f!]);
    expect(detail.status).toBe("failed");
    const succeeded = await Promise.all([d!, f!].map((t) => history(url, t)));
    // The operator looks at the failure and removes the table in the way.
    await onDatabase(url, `drop table "${e!.schema}".notes`);

    const res = await retry(env.tokens.operator, id);
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ kind: "migrate", metadata: { retry_of: id, retried_targets: 1 } });
    expect(res.json.targets.map((t: { schema_name: string; migrations: { id: string }[] }) => [t.schema_name, t.migrations.map((m) => m.id)])).toEqual([
      [e!.schema, ["tenant/0003_notes"]],
    ]);
    expect((await waitForEnd(env.tokens.viewer, res.json.id)).status).toBe("completed");
    expect(await history(url, e!)).toEqual([
      ["0001", id, "applied"],
      ["0002", id, "applied"],
      ["0003", res.json.id, "applied"],
    ]);
    expect(await Promise.all([d!, f!].map((t) => history(url, t)))).toEqual(succeeded);
    const found = await call(listRoute.GET, "GET", "/api/migrations", { token: env.tokens.viewer, query: { retry_of: id } });
    expect(found.json.executions.map((x: { id: string }) => x.id)).toEqual([res.json.id]);
    // A completed execution has nothing to retry.
    const nothing = await retry(env.tokens.operator, res.json.id);
    expect(nothing.status).toBe(409);
    expect(nothing.json.message).toContain("nothing to retry");
  });

  it("after a cancel, runs the skipped targets (held back here by the test holding one target's lock)", async () => {
    const [g, h] = await env.fleet.addTenants("eu", ["ca-g", "ca-h"]);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    const lockOf = { databaseName: env.fleet.shared.eu!.db.name, schemaName: h!.schema };
    try {
      await acquireTargetLock(holder, lockOf);
      const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [g!.id, h!.id] });
      await waitFor(
        `${g!.slug} to finish`,
        async () => ((await status(env.tokens.viewer, id)).json.targets.find((t: { schema_name: string }) => t.schema_name === g!.schema)?.status === "succeeded" ? true : undefined),
        60_000,
      );
      const cancel = await call(cancelRoute.POST, "POST", `/api/migrations/${id}/cancel`, { token: env.tokens.operator, params: { id } });
      expect(cancel.status, cancel.text).toBe(200);
      // Released right away: the waiting target takes its lock and asks whether the execution was
      // cancelled before anything runs, so it skips without waiting for the cancel's next poll.
      await releaseTargetLock(holder, lockOf);
      const cancelled = await waitForEnd(env.tokens.viewer, id);
      expect(cancelled.status).toBe("cancelled");
      expect(targetOf(cancelled, h!).status).toBe("skipped");
      expect(await history(url, h!)).toEqual([]);

      const res = await retry(env.tokens.operator, id);
      expect(res.status, res.text).toBe(202);
      expect(res.json.targets.map((t: { schema_name: string }) => t.schema_name)).toEqual([h!.schema]);
      expect((await waitForEnd(env.tokens.viewer, res.json.id)).status).toBe("completed");
      expect(await versions(url, h!)).toEqual(ALL);
      expect((await history(url, g!)).every(([, by]) => by === id)).toBe(true);
    } finally {
      await holder.end();
    }
  });
});

describe("audit", () => {
  it("records rollbacks and retries with what was asked and what started", async () => {
    const res = await call(auditRoute.GET, "GET", "/api/audit", { token: env.tokens.admin, query: { action: "migrations.rollback" } });
    expect(res.status, res.text).toBe(200);
    const oneTarget = res.json.entries.find((x: { outcome: string; details: { target_ids?: string[] } }) => x.outcome === "success" && x.details.target_ids);
    expect(oneTarget).toMatchObject({ actor_name: "operator", details: { dry_run: false } });
    expect(typeof oneTarget.details.rollback_id).toBe("string");
    const refused = res.json.entries.find((x: { outcome: string; error_code: string | null }) => x.error_code === "validation_error");
    expect(refused).toBeDefined();
    const retries = await call(auditRoute.GET, "GET", "/api/audit", { token: env.tokens.admin, query: { action: "migrations.retry" } });
    expect(retries.json.entries.some((x: { outcome: string; details: { retry_id?: string } }) => x.outcome === "success" && x.details.retry_id)).toBe(true);
  });
});
