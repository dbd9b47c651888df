import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createConnection, resolveConnectionOrThrow } from "../../server/databases/service";
import { ZConnectionCreate } from "../../server/databases/schemas";
import type { ResolvedConnection } from "../../server/fleet/connection-target";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { readHistoryMarkers } from "../../server/migrations/engine/history-tracking-repository";
import { targetKey, type Catalog, type HistoryRow, type Target } from "../../server/migrations/engine/types";
import { clearHistoryCache } from "../../server/migrations/plans/history-cache";
import { readFleetHistories } from "../../server/migrations/plans/read-histories";
import { catalogOf, createFleetDatabase, tenantTarget } from "../engine/engine-fixture";
import { onDatabase } from "../support/database";
import { setUpControlPlane, type ControlPlaneEnv } from "../support/test-env";

/**
 * The histories plans read are stored in the control plane too, so a console just started (here:
 * this process with its memory cleared) takes the unchanged ones from there instead of reading every
 * history table of the fleet, under the same rule as memory: database, log and table marker must
 * read as they did. To see whether a plan read a table, the tests change one with its trigger
 * switched off (`session_replication_role = replica`, the one edit the change log cannot see): a
 * read of the table shows the edit, rows taken from the store do not.
 */

let env: ControlPlaneEnv;
let db: Awaited<ReturnType<typeof createFleetDatabase>>;
let connection: ResolvedConnection;
let catalog: Catalog;

beforeAll(async () => {
  env = await setUpControlPlane();
  db = await createFleetDatabase("hstore");
  const created = await createConnection(
    ZConnectionCreate.parse({
      name: "store-test",
      host: env.server.host,
      port: env.server.port,
      database_name: db.name,
      username: env.server.username,
      password: env.server.password,
      ssl_mode: "disable",
      connection_type: "tenant",
      region: "eu",
      skip_test: true,
    }),
    "test",
  );
  connection = await resolveConnectionOrThrow(created.id);
  catalog = await catalogOf({
    "tenant/0001_accounts.sql": "-- migrate:up\ncreate table accounts (id bigint primary key);\n-- migrate:down\ndrop table accounts;\n",
    "tenant/0002_email.sql": "-- migrate:up\nalter table accounts add column email text;\n-- migrate:down\nalter table accounts drop column email;\n",
  });
});

afterAll(async () => {
  await db.drop();
  await env.close();
});

beforeEach(() => clearHistoryCache());

const read = async (targets: Target[], via: ResolvedConnection = connection) => {
  const { histories, unreachable } = await readFleetHistories(targets, new Map([[via.id, via]]));
  expect(unreachable.size).toBe(0);
  return (t: Target): HistoryRow[] => histories.get(targetKey(t)) ?? [];
};
const asTarget = (slug: string): Target => ({ ...tenantTarget(db.name, slug), connectionId: connection.id });
const versions = (rows: readonly HistoryRow[]) => rows.map((r) => `${r.version}:${r.state}`);
/** An edit of the history table the change log does not see. */
const unseenEdit = (slug: string) =>
  onDatabase(
    db.url,
    `set session_replication_role = replica;
     insert into tenant_${slug}._schema_migrations (version, name, checksum, state) values ('0009', 'unseen', 'x', 'applied');
     set session_replication_role = origin`,
  );
const stored = async () =>
  (await onDatabase<{ schema_name: string; changes: string }>(env.controlPlane.url, "select schema_name, changes from console.remembered_histories order by 1")).rows;

async function migrated(slug: string): Promise<Target> {
  const target = asTarget(slug);
  const result = await executeTarget({ catalog, target, withClient: db.withClient });
  expect(result.status, JSON.stringify(result.error)).toBe("succeeded");
  return target;
}

describe("histories stored in the control plane", () => {
  it("serve a console just started: unchanged tables are not read again", async () => {
    const a = await migrated("start_a");
    const b = await migrated("start_b");
    const first = await read([a, b]);
    expect(versions(first(a))).toEqual(["0001:applied", "0002:applied"]);
    expect((await stored()).map((r) => r.schema_name)).toEqual(["tenant_start_a", "tenant_start_b"]);

    await unseenEdit("start_a");
    clearHistoryCache(); // a new process: nothing in memory
    const second = await read([a, b]);
    // Not read: the store's rows, equal to the first read's (a table read would show 0009).
    expect(second(a)).toEqual(first(a));
    expect(second(a)).not.toBe(first(a));
    expect(versions(second(b))).toEqual(["0001:applied", "0002:applied"]);
  });

  it("give way to the table once a tracked change moved its marker, and take the new rows", async () => {
    const target = await migrated("changed");
    await read([target]);
    const [before] = (await stored()).filter((r) => r.schema_name === "tenant_changed");
    await onDatabase(db.url, "delete from tenant_changed._schema_migrations where version = '0002'; alter table tenant_changed.accounts drop column email");
    clearHistoryCache();
    expect(versions((await read([target]))(target))).toEqual(["0001:applied"]);
    const [after] = (await stored()).filter((r) => r.schema_name === "tenant_changed");
    expect(after!.changes).not.toBe(before!.changes);
    const markers = await db.withClient((c) => readHistoryMarkers(c, ["tenant_changed"]));
    expect(after!.changes).toBe(markers.tables.get("tenant_changed")!.changes);

    // The next start takes those: an unseen edit stays unseen.
    await unseenEdit("changed");
    clearHistoryCache();
    expect(versions((await read([target]))(target))).toEqual(["0001:applied"]);
  });

  it("are not used for a connection that points elsewhere, nor after the database's change log was made again", async () => {
    const target = await migrated("moved");
    await read([target]);
    await unseenEdit("moved");
    clearHistoryCache();
    // Same server reached under another name: another address, so the table is read.
    const elsewhere = { ...connection, host: connection.host === "localhost" ? "127.0.0.1" : "localhost" } as ResolvedConnection;
    expect(versions((await read([target], elsewhere))(target))).toEqual(["0001:applied", "0002:applied", "0009:applied"]);

    const other = await migrated("relogged");
    await read([other]);
    await onDatabase(db.url, "drop schema _neomt cascade");
    await migrated("relogged"); // nothing to run; puts the log and the trigger back (a new log)
    const markers = await db.withClient((c) => readHistoryMarkers(c, ["tenant_relogged"]));
    expect(markers.logId).not.toBeNull();
    expect(markers.tables.get("tenant_relogged")).toMatchObject({ tracked: true });
    await unseenEdit("relogged");
    clearHistoryCache();
    expect(versions((await read([other]))(other))).toEqual(["0001:applied", "0002:applied", "0009:applied"]);
  });
});
