import type pg from "pg";
import type { ResolvedConnection } from "./connection-target";
import { type FleetClientOptions, getFleetPools } from "./pool-manager";

/**
 * Runs `fn` with a pooled session to a database the registry resolved (details and password). The host guard, per-connection limits and session recycling all apply; a
 * throwing `fn` gets its session closed rather than returned. The session's state is the caller's
 * to set (search_path, timeouts): prefer `set local` inside a transaction so nothing leaks into the
 * next checkout.
 */
export async function withFleetClient<T>(
  connection: ResolvedConnection,
  fn: (client: pg.PoolClient) => Promise<T>,
  opts?: FleetClientOptions,
): Promise<T> {
  return getFleetPools().withClient(connection, fn, opts);
}
