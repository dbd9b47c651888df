import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withHiddenPassword, type ResolvedConnection } from "../../server/fleet/connection-target";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { ensureHistoryTracking, readHistoryMarkers } from "../../server/migrations/engine/history-tracking-repository";
import { targetKey, type Catalog, type HistoryRow, type Target } from "../../server/migrations/engine/types";
import { clearHistoryCache, rememberedHistories } from "../../server/migrations/plans/history-cache";
import { readFleetHistories } from "../../server/migrations/plans/read-histories";
import { listSchemas } from "../../server/tenants/fleet-repository";
import { catalogOf, createFleetDatabase, tenantTarget } from "../engine/engine-fixture";
import { onDatabase, testServerUrl } from "../support/database";
import { setUpControlPlane, type ControlPlaneEnv } from "../support/test-env";

/**
 * Plans remember the history rows they read and take them again only while the target's table
 * says, through its change trigger and the database's log, that nothing changed. Whatever changes a
 * history (a run, an operator's insert in psql as another role, a truncate, a table dropped and made
 * again, the log dropped) must be read at the next plan; tables without the trigger (made before
 * the console tracked them, or by hand) are read every time.
 */

let env: ControlPlaneEnv;
let db: Awaited<ReturnType<typeof createFleetDatabase>>;
let connection: ResolvedConnection;
let catalog: Catalog;
const editor = `history_editor_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  env = await setUpControlPlane();
  db = await createFleetDatabase("hcache");
  connection = withHiddenPassword(
    {
      id: randomUUID(),
      name: "cache-test",
      host: env.server.host,
      port: env.server.port,
      databaseName: db.name,
      username: env.server.username,
      sslMode: "prefer" as const,
      connectionType: "tenant" as const,
      region: "eu",
      schemaName: "public",
      isActive: true,
    },
    env.server.password,
  );
  catalog = await catalogOf({
    "tenant/0001_accounts.sql": "-- migrate:up\ncreate table accounts (id bigint primary key);\n-- migrate:down\ndrop table accounts;\n",
    "tenant/0002_email.sql": "-- migrate:up\nalter table accounts add column email text;\n-- migrate:down\nalter table accounts drop column email;\n",
  });
  await onDatabase(db.url, `create role ${editor} nologin`);
});

afterAll(async () => {
  await db.drop();
  await onDatabase(testServerUrl("postgres"), `drop role if exists ${editor}`);
  await env.close();
});

beforeEach(() => clearHistoryCache());

const read = async (targets: Target[]) => {
  const { histories, unreachable } = await readFleetHistories(targets, new Map([[connection.id, connection]]));
  expect(unreachable.size).toBe(0);
  return (t: Target): HistoryRow[] => histories.get(targetKey(t)) ?? [];
};
const asTarget = (slug: string): Target => ({ ...tenantTarget(db.name, slug), connectionId: connection.id });
const versions = (rows: readonly HistoryRow[]) => rows.map((r) => `${r.version}:${r.state}`);

async function migrated(slug: string): Promise<Target> {
  const target = asTarget(slug);
  const result = await executeTarget({ catalog, target, withClient: db.withClient });
  expect(result.status, JSON.stringify(result.error)).toBe("succeeded");
  return target;
}

describe("a table the console migrated (tracked)", () => {
  it("is served from memory while nothing changed, and read again after a run changed it", async () => {
    const first = await catalogOf({
      "tenant/0001_accounts.sql": "-- migrate:up\ncreate table accounts (id bigint primary key);\n-- migrate:down\ndrop table accounts;\n",
    });
    const target = asTarget("run");
    expect((await executeTarget({ catalog: first, target, withClient: db.withClient })).status).toBe("succeeded");
    const a = (await read([target]))(target);
    expect(versions(a)).toEqual(["0001:applied"]);
    const b = (await read([target]))(target);
    // The very same rows: nothing was read from the table.
    expect(b).toBe(a);
    expect(rememberedHistories()).toBe(1);

    await migrated("run");
    const c = (await read([target]))(target);
    expect(c).not.toBe(a);
    expect(versions(c)).toEqual(["0001:applied", "0002:applied"]);
  });

  it("sees an operator's hand edit by a role without rights on the log, and a truncate", async () => {
    const target = await migrated("by_hand");
    const before = (await read([target]))(target);
    expect(versions(before)).toEqual(["0001:applied", "0002:applied"]);
    await onDatabase(
      db.url,
      `grant usage on schema tenant_by_hand to ${editor};
       grant select, insert, delete, truncate on tenant_by_hand._schema_migrations to ${editor};
       set role ${editor};
       insert into tenant_by_hand._schema_migrations (version, name, checksum, state) values ('0003', 'hand', 'x', 'started');
       reset role`,
    );
    expect(versions((await read([target]))(target))).toEqual(["0001:applied", "0002:applied", "0003:started"]);
    await onDatabase(db.url, `set role ${editor}; truncate tenant_by_hand._schema_migrations; reset role`);
    expect((await read([target]))(target)).toEqual([]);
  });

  it("reads a table dropped and made again, and every table once the log is gone", async () => {
    const target = await migrated("remade");
    const other = await migrated("other");
    const first = await read([target, other]);
    const rows = first(target);
    await onDatabase(
      db.url,
      `create table tenant_remade.copy as select * from tenant_remade._schema_migrations;
       drop table tenant_remade._schema_migrations;
       alter table tenant_remade.copy rename to _schema_migrations;
       delete from tenant_remade._schema_migrations where version = '0002'`,
    );
    const second = await read([target, other]);
    expect(versions(second(target))).toEqual(["0001:applied"]);
    expect(second(target)).not.toBe(rows);
    expect(second(other)).toBe(first(other));

    await onDatabase(
      db.url,
      "drop schema _neomt cascade; delete from tenant_other._schema_migrations where version = '0002'; alter table tenant_other.accounts drop column email",
    );
    expect(versions((await read([other]))(other))).toEqual(["0001:applied"]);
    // The next run puts the log and the trigger back.
    await migrated("other");
    const markers = await withClient((c) => readHistoryMarkers(c, ["tenant_other", "tenant_remade"]));
    expect(markers.logId).not.toBeNull();
    expect(markers.tables.get("tenant_other")).toMatchObject({ tracked: true });
    // The copy made by hand has no trigger until the console runs there.
    expect(markers.tables.get("tenant_remade")).toMatchObject({ tracked: false });
  });
  it("puts the trigger function back when only it was dropped (with its triggers)", async () => {
    const target = await migrated("refit");
    await onDatabase(db.url, "drop function _neomt.note_history_change() cascade");
    let markers = await withClient((c) => readHistoryMarkers(c, ["tenant_refit"]));
    expect(markers.tables.get("tenant_refit")).toMatchObject({ tracked: false });
    const a = (await read([target]))(target);
    expect((await read([target]))(target)).not.toBe(a);
    await onDatabase(db.url, "delete from tenant_refit._schema_migrations where version = '0002'; alter table tenant_refit.accounts drop column email");
    await migrated("refit");
    markers = await withClient((c) => readHistoryMarkers(c, ["tenant_refit"]));
    expect(markers.tables.get("tenant_refit")).toMatchObject({ tracked: true });
    const b = (await read([target]))(target);
    expect(versions(b)).toEqual(["0001:applied", "0002:applied"]);
    expect((await read([target]))(target)).toBe(b);
  });
});

describe("a table the console did not make (untracked)", () => {
  it("is read every time, and a run gives it the trigger", async () => {
    await onDatabase(
      db.url,
      `create schema tenant_legacy;
       create table tenant_legacy._schema_migrations (version text primary key, name text not null, checksum text not null,
         applied_at timestamptz not null default now(), execution_id text, duration_ms integer, applied_by text,
         state text not null default 'applied');`,
    );
    const target = asTarget("legacy");
    const a = (await read([target]))(target);
    const b = (await read([target]))(target);
    expect(a).toEqual([]);
    expect(b).not.toBe(a);
    expect(rememberedHistories()).toBe(0);

    await migrated("legacy");
    const c = (await read([target]))(target);
    expect(versions(c)).toEqual(["0001:applied", "0002:applied"]);
    expect((await read([target]))(target)).toBe(c);

    // A trigger switched off no longer vouches for the table.
    await onDatabase(db.url, "alter table tenant_legacy._schema_migrations disable trigger _schema_migrations_changed");
    const d = (await read([target]))(target);
    expect(d).not.toBe(c);
    expect((await read([target]))(target)).not.toBe(d);
  });

  it("stays untracked, without failing, for a role that may not create the log; lists of schemas leave the log out", async () => {
    const owner = `${editor}_own`;
    const fresh = await createFleetDatabase("hcache_nolog");
    try {
      await onDatabase(
        fresh.url,
        `create role ${owner} nologin;
         create schema tenant_owned authorization ${owner};
         create table tenant_owned._schema_migrations (version text primary key);
         alter table tenant_owned._schema_migrations owner to ${owner};
         revoke create on database "${fresh.name}" from public`,
      );
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        await client.query(`set role ${owner}`);
        expect(await ensureHistoryTracking(client, "tenant_owned")).toBe(false);
        // The session is usable afterwards (no transaction left aborted).
        expect((await client.query("select 1 as one")).rows[0].one).toBe(1);
        await client.query("reset role");
        expect(await ensureHistoryTracking(client, "tenant_owned")).toBe(true);
        expect(await listSchemas(client, { pattern: null })).toEqual(["tenant_owned"]);
      } finally {
        await client.end();
      }
    } finally {
      await fresh.drop();
      await onDatabase(db.url, `drop role if exists ${owner}`);
    }
  });
});

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
