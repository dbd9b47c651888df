import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as locksRoute from "../../app/api/migrations/[id]/locks/route";
import { call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { waitFor } from "../support/test-env";
import { executeOrThrow, status, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/**
 * The lock view: while a target's migration waits for a lock that another session holds, the
 * execution's lock view names that session — pid, application name, user, since when, the mode it
 * holds — and the lock the target wants. The test holds the lock itself and lets go at the end.
 */

let env: ExecutionEnv;
let catalogDir: string;

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "lock-view-catalog-"));
  mkdirSync(path.join(catalogDir, "tenant"));
  // The table exists before the console manages the schema; the migration needs an exclusive lock on it.
  writeFileSync(path.join(catalogDir, "tenant", "0001_accounts_note.sql"), "-- migrate:up\nALTER TABLE accounts ADD COLUMN note text;\n");
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 0, catalogDir, prefix: "lockv" });
});

afterAll(async () => {
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const locks = (id: string, token = env.tokens.viewer) => call(locksRoute.GET, "GET", `/api/migrations/${id}/locks`, { token, params: { id } });

describe("the lock view of a running execution", () => {
  it("names the session that blocks a target's migration, until it lets go", async () => {
    const [blocked, free] = await env.fleet.addTenants("eu", ["locked", "free"]);
    const url = env.fleet.shared.eu!.db.url;
    for (const t of [blocked!, free!]) await onDatabase(url, `create table "${t.schema}".accounts (id int)`);

    const holder = new pg.Client({ connectionString: url, application_name: "nightly-report" });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query(`select count(*) from "${blocked!.schema}".accounts`);
      const holderPid = (await holder.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;

      const id = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [blocked!.id, free!.id] });
      // The free tenant's migration does not touch the held table: it completes while the other
      // waits. (Until then it may wait a moment itself, e.g. while the other target puts the
      // database's history tracking in place, which is not what this test is about.)
      await waitFor(
        "the free tenant to complete",
        async () => {
          const res = await status(env.tokens.viewer, id);
          return res.json.targets.find((t: { schema_name: string }) => t.schema_name === free!.schema)?.status === "succeeded" ? true : undefined;
        },
        30_000,
        100,
      );
      const view = await waitFor(
        "the blocked target to show as waiting",
        async () => {
          const res = await locks(id);
          expect(res.status).toBe(200);
          const shown = res.json.targets.find((t: { target: string }) => t.target === `shared-eu/${blocked!.schema}`);
          return shown?.waiting ? res.json : undefined;
        },
        30_000,
        100,
      );
      const waiting = view.targets.find((t: { waiting: boolean }) => t.waiting);
      expect(waiting).toMatchObject({
        target: `shared-eu/${blocked!.schema}`,
        session: { wait_event_type: "Lock", state: "active" },
        lock: { type: "relation", mode: "AccessExclusiveLock", relation: `${blocked!.schema}.accounts` },
        problem: null,
      });
      expect(waiting.blocked_by).toEqual([
        expect.objectContaining({
          pid: holderPid,
          application_name: "nightly-report",
          user: expect.any(String),
          state: "idle in transaction",
          held_modes: ["AccessShareLock"],
          waiting_for_mode: null,
          console_target_id: null,
        }),
      ]);
      expect(Date.parse(waiting.blocked_by[0].xact_start)).toBeLessThanOrEqual(Date.parse(waiting.blocked_by[0].query_start));
      // Only the tenant whose table is held waits.
      expect(view.targets.filter((t: { waiting: boolean }) => t.waiting)).toHaveLength(1);

      await holder.query("commit");
      const done = await waitForEnd(env.tokens.viewer, id);
      expect(done.status).toBe("completed");
      // An execution that is not running has nothing to show.
      expect((await locks(id)).json.targets).toEqual([]);
    } finally {
      await holder.end().catch(() => {});
    }
  });

  it("answers 404 for an unknown execution and 401 without credentials", async () => {
    expect((await locks(randomUUID())).status).toBe(404);
    const anonymous = await call(locksRoute.GET, "GET", `/api/migrations/${randomUUID()}/locks`, { params: { id: randomUUID() } });
    expect(anonymous.status).toBe(401);
  });
});
