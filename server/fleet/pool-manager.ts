import pg from "pg";
import { getSettings } from "../config/settings";
import { AppError } from "../errors/app-error";
import { detailsFingerprint, isNoTlsError, pgClientConfig, type ResolvedConnection } from "./connection-target";
import { assertHostAllowed } from "./host-guard";

/**
 * Sessions to fleet databases, shared by health probes and the migration engine.
 *
 * One pg pool per registered connection, bounded three ways:
 *  - `maxPerConnection` sessions per database, so a large execution cannot exhaust a server;
 *  - `maxPools` pools per process: past it, the least recently used idle pools are closed, so a fleet
 *    of hundreds of databases does not keep hundreds of idle sessions open;
 *  - `idleTimeoutMs` closes sessions nobody used for a while, and `maxUses` (optional) retires a
 *    session after that many checkouts.
 * Why recycle sessions at all: a backend's catalog cache grows with every schema it touches, and one
 * session migrating many tenant schemas measured about 2× slower than a session per schema. The
 * engine asks for `discard: true` to get exactly one session per target.
 *
 * A pool is keyed by connection id and remembers a fingerprint of the details it was built from: an
 * edited password or host retires the old pool on next use, here and in every other process.
 */

export interface FleetPoolLimits {
  maxPerConnection: number;
  maxPools: number;
  idleTimeoutMs: number;
  /** 0 = sessions are reused until idle. */
  maxUses: number;
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  allowedHosts: () => readonly string[];
  applicationName?: string;
}

export interface FleetClientOptions {
  /** Close the session after `fn` instead of returning it to the pool (one session per target). */
  discard?: boolean;
  /** How long to wait for a free session when the connection's pool is at its maximum. */
  acquireTimeoutMs?: number;
}

export interface FleetPoolStats {
  pools: number;
  maxPools: number;
  /** Open sessions (idle + checked out). */
  total: number;
  idle: number;
  active: number;
  /** Callers waiting for a session. */
  waiting: number;
  /** Pools closed to stay under maxPools since start. */
  evictions: number;
  connections: Array<{ connectionId: string; name: string; total: number; idle: number; active: number; waiting: number }>;
}

/** Thrown when no session became free in time; the database itself may be fine (just busy). */
export class FleetPoolTimeoutError extends Error {
  readonly code = "pool_timeout";
  constructor(name: string, ms: number) {
    super(`no free session to ${name} within ${ms} ms (pool at its maximum)`);
    this.name = "FleetPoolTimeoutError";
  }
}

interface PoolEntry {
  connectionId: string;
  name: string;
  fingerprint: string;
  pool: pg.Pool;
  /** `prefer` connection whose server has no TLS: sessions go plaintext. */
  plaintext: boolean;
  active: number;
}

export class FleetPoolManager {
  /** Insertion order = least recently used first (an entry is re-inserted on every use). */
  private readonly entries = new Map<string, PoolEntry>();
  private readonly closing = new Set<Promise<void>>();
  private evictions = 0;
  private closed = false;

  constructor(private readonly limits: FleetPoolLimits) {}

  /**
   * Runs `fn` with a session to `connection`, then returns the session to the pool. When `fn`
   * throws, the session is closed instead: it may be mid-transaction or broken, and the next
   * caller must not inherit that.
   */
  async withClient<T>(
    connection: ResolvedConnection,
    fn: (client: pg.PoolClient) => Promise<T>,
    opts: FleetClientOptions = {},
  ): Promise<T> {
    if (this.closed) throw new AppError("service_unavailable", "fleet connections are shutting down");
    assertHostAllowed(connection.host, this.limits.allowedHosts());
    const entry = this.entryFor(connection);
    entry.active += 1;
    this.evictOverCap();
    let client: pg.PoolClient;
    try {
      client = await this.acquire(entry, connection, opts.acquireTimeoutMs ?? this.limits.acquireTimeoutMs);
    } catch (error) {
      entry.active -= 1;
      throw error;
    }
    // While checked out, pg-pool has no error listener on the session: a server that drops it
    // between queries would otherwise crash the process with an unhandled 'error' event.
    const onError = () => {};
    client.on("error", onError);
    let failed = false;
    try {
      return await fn(client);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      client.off("error", onError);
      entry.active -= 1;
      client.release(failed || opts.discard === true);
      this.evictOverCap();
    }
  }

  /** Closes the pool of one connection (after an edit or delete); sessions in use finish first. */
  evict(connectionId: string): void {
    const entry = this.entries.get(connectionId);
    if (entry) this.retire(entry);
  }

  stats(): FleetPoolStats {
    const connections = [...this.entries.values()].map((e) => ({
      connectionId: e.connectionId,
      name: e.name,
      total: e.pool.totalCount,
      idle: e.pool.idleCount,
      active: e.pool.totalCount - e.pool.idleCount,
      waiting: e.pool.waitingCount,
    }));
    const sum = (k: "total" | "idle" | "active" | "waiting") => connections.reduce((n, c) => n + c[k], 0);
    return {
      pools: connections.length,
      maxPools: this.limits.maxPools,
      total: sum("total"),
      idle: sum("idle"),
      active: sum("active"),
      waiting: sum("waiting"),
      evictions: this.evictions,
      connections,
    };
  }

  /** Closes every pool; later calls are refused. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of [...this.entries.values()]) this.retire(entry);
    await Promise.all([...this.closing]);
  }

  private entryFor(connection: ResolvedConnection): PoolEntry {
    const fingerprint = detailsFingerprint(connection);
    let entry = this.entries.get(connection.id);
    if (entry && entry.fingerprint !== fingerprint) {
      this.retire(entry);
      entry = undefined;
    }
    if (entry) {
      this.entries.delete(connection.id);
    } else {
      entry = {
        connectionId: connection.id,
        name: connection.name,
        fingerprint,
        pool: this.createPool(connection, false),
        plaintext: false,
        active: 0,
      };
    }
    this.entries.set(connection.id, entry);
    return entry;
  }

  private async acquire(entry: PoolEntry, connection: ResolvedConnection, timeoutMs: number): Promise<pg.PoolClient> {
    const tried = entry.pool;
    try {
      return await this.connectWithin(entry, tried, timeoutMs);
    } catch (error) {
      if (connection.sslMode !== "prefer" || !isNoTlsError(error)) throw error;
      // Several first callers may all hear "no TLS": the first swaps the pool, all retry on it.
      if (entry.pool === tried) {
        entry.pool = this.createPool(connection, true);
        entry.plaintext = true;
        this.endWhenDrained(tried);
      }
      return this.connectWithin(entry, entry.pool, timeoutMs);
    }
  }

  private connectWithin(entry: PoolEntry, pool: pg.Pool, timeoutMs: number): Promise<pg.PoolClient> {
    const pending = pool.connect();
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        // The session may still arrive later: hand it straight back.
        pending.then((c) => c.release(), () => {});
        reject(new FleetPoolTimeoutError(entry.name, timeoutMs));
      }, timeoutMs);
      pending.then(
        (client) => {
          if (settled) return;
          clearTimeout(timer);
          resolve(client);
        },
        (error: unknown) => {
          if (settled) return;
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private createPool(connection: ResolvedConnection, plaintext: boolean): pg.Pool {
    const { connectTimeoutMs } = this.limits;
    // pg-pool uses one `connectionTimeoutMillis` both for waiting on a busy pool and for opening a
    // socket. Waiting is bounded in connectWithin; the socket gets the short connect timeout here.
    class TimedClient extends pg.Client {
      constructor(config: pg.ClientConfig = {}) {
        // pg-pool keeps `password` non-enumerable on its options: a plain spread would drop it.
        super({ ...config, password: config.password, connectionTimeoutMillis: connectTimeoutMs });
        // A failed authentication can emit a second 'error' after connect() already failed.
        this.on("error", () => {});
      }
    }
    const pool = new pg.Pool({
      ...pgClientConfig(connection, {
        connectTimeoutMs,
        applicationName: this.limits.applicationName ?? "infrastructure-console",
        plaintext,
      }),
      connectionTimeoutMillis: 0,
      Client: TimedClient,
      max: this.limits.maxPerConnection,
      idleTimeoutMillis: this.limits.idleTimeoutMs,
      maxUses: this.limits.maxUses > 0 ? this.limits.maxUses : undefined,
      // Idle fleet sessions must not keep a CLI or a test process alive.
      allowExitOnIdle: true,
    });
    // An idle session killed by the server (restart, pg_terminate_backend) is just dropped.
    pool.on("error", () => {});
    return pool;
  }

  /** Least recently used idle pools go first; pools in use are never closed under their callers. */
  private evictOverCap() {
    if (this.entries.size <= this.limits.maxPools) return;
    for (const entry of this.entries.values()) {
      if (this.entries.size <= this.limits.maxPools) break;
      if (entry.active === 0 && entry.pool.waitingCount === 0) {
        this.evictions += 1;
        this.retire(entry);
      }
    }
  }

  private retire(entry: PoolEntry) {
    if (this.entries.get(entry.connectionId) === entry) this.entries.delete(entry.connectionId);
    if (this.closed) this.end(entry.pool);
    else this.endWhenDrained(entry.pool);
  }

  /**
   * pg-pool's end() leaves callers still queued on the pool waiting forever; let them get their
   * (failing) turn first, then end it.
   */
  private endWhenDrained(pool: pg.Pool) {
    if (pool.waitingCount === 0) return this.end(pool);
    setTimeout(() => this.endWhenDrained(pool), 25).unref();
  }

  private end(pool: pg.Pool) {
    const done = pool.end().catch(() => {});
    this.closing.add(done);
    void done.finally(() => this.closing.delete(done));
  }
}

const cacheKey = Symbol.for("console.fleetPools");
type GlobalWithPools = typeof globalThis & { [cacheKey]?: FleetPoolManager };

/** The process's fleet pools, configured from the settings (FLEET_POOL_*, CONNECTION_TEST_TIMEOUT). */
export function getFleetPools(): FleetPoolManager {
  const g = globalThis as GlobalWithPools;
  if (!g[cacheKey]) {
    const settings = getSettings();
    g[cacheKey] = new FleetPoolManager({
      maxPerConnection: settings.fleet.maxPerConnection,
      maxPools: settings.fleet.maxPools,
      idleTimeoutMs: settings.fleet.idleTimeoutSeconds * 1000,
      maxUses: settings.fleet.maxUses,
      connectTimeoutMs: settings.fleet.connectTimeoutSeconds * 1000,
      acquireTimeoutMs: settings.fleet.acquireTimeoutSeconds * 1000,
      allowedHosts: () => getSettings().allowedDatabaseHosts,
    });
  }
  return g[cacheKey];
}

/** Closes the process's fleet pools (shutdown, end of a test file). */
export async function stopFleetPools(): Promise<void> {
  const g = globalThis as GlobalWithPools;
  const pools = g[cacheKey];
  delete g[cacheKey];
  await pools?.close();
}
