import pg from "pg";
import { getSettings } from "../../config/settings";
import { getLogger } from "../../logging/logger";
import { listenForEvents } from "./events-repository";

/**
 * One LISTEN session per process, fanned out to every open event stream. A notification only
 * says "execution X has new events"; streams read the rows themselves, so a notification lost
 * while the session reconnects costs nothing but a little latency (streams also poll slowly as a
 * safety net, and are all woken when the session comes back).
 */

type Wake = () => void;

class EventHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<Wake>>();
  private retryMs = 500;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  subscribe(executionId: string, wake: Wake): () => void {
    let set = this.listeners.get(executionId);
    if (!set) this.listeners.set(executionId, (set = new Set()));
    set.add(wake);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    void this.ensureConnected();
    return () => {
      const s = this.listeners.get(executionId);
      s?.delete(wake);
      if (s?.size === 0) this.listeners.delete(executionId);
      if (this.listeners.size === 0) this.closeWhenIdle();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private wakeAll() {
    for (const set of this.listeners.values()) for (const wake of set) wake();
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect() {
    const url = getSettings().databaseUrl;
    if (!url) return;
    const client = new pg.Client({ connectionString: url, application_name: "infrastructure-console:events" });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => {});
      if (this.closed || this.listeners.size === 0) return;
      setTimeout(() => void this.ensureConnected(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
    client.on("error", (error) => {
      getLogger().warn({ err: error }, "execution events listener lost its connection");
      lost();
    });
    client.on("end", lost);
    client.on("notification", (message) => {
      const executionId = message.payload?.split(":")[0];
      if (executionId) for (const wake of this.listeners.get(executionId) ?? []) wake();
    });
    try {
      await client.connect();
      await listenForEvents(client);
      this.client = client;
      this.retryMs = 500;
      // Anything committed while there was no session: streams look for themselves.
      this.wakeAll();
    } catch (error) {
      getLogger().warn({ err: error }, "execution events listener cannot connect; streams fall back to polling");
      await client.end().catch(() => {});
      if (!this.closed && this.listeners.size > 0) {
        setTimeout(() => void this.ensureConnected(), this.retryMs).unref();
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
      }
    }
  }

  /** Keeps the session for a while after the last stream closes: browsers reconnect often. */
  private closeWhenIdle() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.listeners.size > 0) return;
      const client = this.client;
      this.client = null;
      void client?.end().catch(() => {});
    }, 30_000);
    this.idleTimer.unref();
  }
}

const cacheKey = Symbol.for("console.executionEventHub");
type GlobalWithHub = typeof globalThis & { [cacheKey]?: EventHub };

export function getEventHub(): EventHub {
  const g = globalThis as GlobalWithHub;
  g[cacheKey] ??= new EventHub();
  return g[cacheKey];
}

/** Closes the process's listener (shutdown, end of a test file). */
export async function stopEventHub(): Promise<void> {
  const g = globalThis as GlobalWithHub;
  const hub = g[cacheKey];
  delete g[cacheKey];
  await hub?.close();
}
