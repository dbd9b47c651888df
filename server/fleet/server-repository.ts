import type pg from "pg";

/**
 * Statements about a fleet database server itself rather than its data: what a health probe asks,
 * and ending one of its sessions. Plain SQL on a session the caller holds (a pooled or a direct
 * one): these are catalog functions, with no table for drizzle to build on.
 */

/** The server's version (`server_version`), or null when it does not say: the probe's one round trip. */
export async function readServerVersion(client: pg.ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ server_version: string }>("select current_setting('server_version') as server_version");
  return rows[0]?.server_version ?? null;
}

/** Ends the backend `pid` on that server; its open transaction rolls back with it. */
export async function terminateBackend(client: pg.ClientBase, pid: number): Promise<void> {
  await client.query("select pg_terminate_backend($1)", [pid]);
}
