import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withHiddenPassword, type ResolvedConnection } from "../../server/fleet/connection-target";
import { FleetPoolManager, type FleetPoolLimits, FleetPoolTimeoutError } from "../../server/fleet/pool-manager";
import { probeDetails } from "../../server/fleet/probe";
import { AppError } from "../../server/errors/app-error";
import { createTestDatabase, type TestDatabase, testServerUrl } from "../support/database";
import { freePort } from "../support/global-setup";
import { setEnv } from "../support/test-env";

/**
 * The fleet pool manager against a real server: per-connection limits, waiting with a deadline,
 * least-recently-used eviction past the pool cap, session recycling (discard, maxUses, a failed
 * callback), new pools for changed details, idle timeout, shutdown, and the host guard stopping a
 * connection before a single packet leaves.
 */

let db: TestDatabase;
const managers: FleetPoolManager[] = [];
const url = () => new URL(testServerUrl("postgres"));

function target(overrides: Partial<ResolvedConnection> = {}, password?: string | null): ResolvedConnection {
  const u = url();
  return withHiddenPassword(
    {
      id: randomUUID(),
      name: "pool-test",
      host: u.hostname,
      port: Number(u.port || 5432),
      databaseName: db.name,
      username: decodeURIComponent(u.username || "postgres"),
      sslMode: "prefer" as const,
      connectionType: "tenant" as const,
      region: "eu-west-1",
      schemaName: "public",
      isActive: true,
      ...overrides,
    },
    password === undefined ? (u.password ? decodeURIComponent(u.password) : null) : password,
  );
}

function manager(limits: Partial<FleetPoolLimits> = {}): FleetPoolManager {
  const m = new FleetPoolManager({
    maxPerConnection: 3,
    maxPools: 10,
    idleTimeoutMs: 10_000,
    maxUses: 0,
    connectTimeoutMs: 5_000,
    acquireTimeoutMs: 5_000,
    allowedHosts: () => ["localhost", "127.0.0.1", "::1"],
    applicationName: "pool-manager-test",
    ...limits,
  });
  managers.push(m);
  return m;
}

const pidOf = (m: FleetPoolManager, t: ResolvedConnection, opts = {}) =>
  m.withClient(t, async (c) => (await c.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid, opts);

beforeAll(async () => {
  setEnv({ ENVIRONMENT: "testing" });
  db = await createTestDatabase("reg_pool");
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

afterAll(async () => {
  await db?.drop();
});

describe("FleetPoolManager", () => {
  it("never opens more than maxPerConnection sessions to one database; the rest wait their turn", async () => {
    const m = manager({ maxPerConnection: 2 });
    const t = target();
    let inside = 0;
    let peak = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 6 }, () =>
        m.withClient(t, async (c) => {
          inside += 1;
          peak = Math.max(peak, inside);
          await c.query("select pg_sleep(0.15)");
          inside -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 150 - 20);
    expect(m.stats()).toMatchObject({ pools: 1, total: 2, idle: 2, active: 0, waiting: 0 });
  });

  it("gives up waiting for a busy pool after the deadline, without disturbing the holder", async () => {
    const m = manager({ maxPerConnection: 1 });
    const t = target();
    let release!: () => void;
    const holder = m.withClient(t, () => new Promise<string>((r) => (release = () => r("done"))));
    await new Promise((r) => setTimeout(r, 50));
    await expect(m.withClient(t, async () => "late", { acquireTimeoutMs: 100 })).rejects.toBeInstanceOf(FleetPoolTimeoutError);
    release();
    await expect(holder).resolves.toBe("done");
    await expect(m.withClient(t, async () => "next")).resolves.toBe("next");
  });

  it("closes the least recently used idle pool past maxPools", async () => {
    const m = manager({ maxPools: 2 });
    const [a, b, c] = [target({ name: "a" }), target({ name: "b" }), target({ name: "c" })];
    await pidOf(m, a);
    await pidOf(m, b);
    await pidOf(m, a); // a is now more recent than b
    await pidOf(m, c);
    const stats = m.stats();
    expect(stats.pools).toBe(2);
    expect(stats.evictions).toBe(1);
    expect(stats.connections.map((p) => p.name)).toEqual(["a", "c"]);
  });

  it("never closes a pool in use, even when it is the least recently used", async () => {
    const m = manager({ maxPools: 1 });
    const [a, b] = [target({ name: "a" }), target({ name: "b" })];
    await m.withClient(a, async (client) => {
      await m.withClient(b, async () => {
        // Over the cap while both are busy: nothing can be closed yet.
        expect(m.stats().connections.map((p) => p.name)).toEqual(["a", "b"]);
      });
      // b went idle: it is the one closed, although a is older.
      expect(m.stats().connections.map((p) => p.name)).toEqual(["a"]);
      await client.query("select 1");
    });
    expect(m.stats()).toMatchObject({ pools: 1, evictions: 1 });
  });

  it("reuses a session normally, and recycles it on discard, after maxUses and after a failure", async () => {
    const m = manager();
    const t = target();
    const first = await pidOf(m, t);
    expect(await pidOf(m, t)).toBe(first);
    // discard: one session per unit of work (a migration target)
    const discarded = await pidOf(m, t, { discard: true });
    expect(discarded).toBe(first);
    const afterDiscard = await pidOf(m, t);
    expect(afterDiscard).not.toBe(first);
    // a callback that throws mid-transaction never hands its session to the next caller
    await expect(
      m.withClient(t, async (c) => {
        await c.query("begin");
        await c.query("select 1/0");
      }),
    ).rejects.toMatchObject({ code: "22012" });
    const next = await m.withClient(t, async (c) => {
      const { rows } = await c.query<{ pid: number; tx: string }>("select pg_backend_pid() as pid, now()::text as tx");
      await c.query("select 1"); // would fail with 25P02 if the aborted transaction had been kept
      return rows[0]!.pid;
    });
    expect(next).not.toBe(afterDiscard);

    const limited = manager({ maxUses: 2 });
    const pids = [await pidOf(limited, t), await pidOf(limited, t), await pidOf(limited, t)];
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).not.toBe(pids[1]);
  });

  it("builds a new pool when the connection's details change (edited password or database)", async () => {
    const m = manager();
    const t = target();
    const pid = await pidOf(m, t);
    const edited = target({ id: t.id, databaseName: "postgres" });
    const { pid: newPid, db: database } = await m.withClient(edited, async (c) => {
      const { rows } = await c.query<{ pid: number; db: string }>("select pg_backend_pid() as pid, current_database() as db");
      return rows[0]!;
    });
    expect(database).toBe("postgres");
    expect(newPid).not.toBe(pid);
    expect(m.stats().pools).toBe(1);
  });

  it("closes idle sessions after the idle timeout", async () => {
    const m = manager({ idleTimeoutMs: 150 });
    await pidOf(m, target());
    expect(m.stats().total).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(m.stats().total).toBe(0);
  });

  it("refuses work after close and leaves no session behind", async () => {
    const m = manager();
    const t = target();
    const pid = await pidOf(m, t);
    await m.close();
    await expect(pidOf(m, t)).rejects.toMatchObject({ code: "service_unavailable" });
    const probe = manager();
    const alive = await probe.withClient(target({ databaseName: "postgres" }), async (c) => {
      const { rows } = await c.query("select 1 from pg_stat_activity where pid = $1", [pid]);
      return rows.length;
    });
    expect(alive).toBe(0);
  });
});

describe("the host guard", () => {
  let listener: Server;
  let port: number;
  let accepted = 0;

  beforeAll(async () => {
    port = await freePort();
    listener = createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((r) => listener.listen(port, "127.0.0.1", r));
  });

  afterAll(async () => {
    await new Promise((r) => listener.close(r));
  });

  it("stops a connection to a host outside the list before any packet is sent", async () => {
    const m = manager({ allowedHosts: () => ["localhost", "db.internal"] });
    const t = target({ host: "127.0.0.1", port });
    const error = await m.withClient(t, async () => "reached").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "host_not_allowed" });
    setEnv({ ALLOWED_DATABASE_HOSTS: "localhost" });
    await expect(probeDetails({ ...t, password: null })).rejects.toMatchObject({ code: "host_not_allowed" });
    await new Promise((r) => setTimeout(r, 100));
    expect(accepted).toBe(0);

    // The same target inside the list does reach the listener: the guard was what stopped it.
    setEnv({ ALLOWED_DATABASE_HOSTS: "127.0.0.0/8" });
    const result = await probeDetails({ ...t, password: null });
    expect(result.success).toBe(false);
    expect(accepted).toBeGreaterThan(0);
    setEnv({ ALLOWED_DATABASE_HOSTS: "" });
  });
});

describe("connection tests", () => {
  it("use TLS when ssl_mode requires it and report the server's refusal instead of going plaintext", async () => {
    const { sslMode: _, ...base } = target();
    const details = { ...base, password: target().password };
    const ssl = await (async () => {
      const m = manager();
      return m.withClient(target({ databaseName: "postgres" }), async (c) => (await c.query<{ ssl: string }>("show ssl")).rows[0]!.ssl);
    })();
    const required = await probeDetails({ ...details, sslMode: "require" });
    const preferred = await probeDetails({ ...details, sslMode: "prefer" });
    expect(preferred.success).toBe(true);
    if (ssl === "off") {
      expect(required.success).toBe(false);
      expect(required.error?.message).toMatch(/does not support SSL/);
    } else {
      expect(required.success).toBe(true);
    }
  });
});
