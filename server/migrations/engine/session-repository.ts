import type pg from "pg";
import { lockTimeoutFor, searchPathFor } from "./run-statements";

/**
 * The engine's statements about the target session itself: its settings (schema, time limits), its
 * transaction control and the target's advisory lock (target-lock.ts decides the key and the wait). The migrations' own text is sent by migration-message.ts and
 * run-statements.ts; the history table's SQL is in history-repository.ts.
 */

type Queryable = Pick<pg.ClientBase, "query">;

/**
 * Points the session at the target schema and bounds how long each statement may run and wait for
 * locks. `local` settings end with the current transaction; session settings stay until reset.
 * Applied again before every migration, since a migration file may change them itself.
 */
export async function applyTargetSettings(client: Queryable, schema: string, timeoutMs: number, local: boolean) {
  await client.query(
    `select set_config('search_path', $1, $4), set_config('lock_timeout', $2, $4), set_config('statement_timeout', $3, $4)`,
    [searchPathFor(schema), String(lockTimeoutFor(timeoutMs)), String(timeoutMs), local],
  );
}

/**
 * applyTargetSettings (local) as statements, for the message that runs a whole migration in one
 * round trip: the values are integers and a quoted schema list, so no parameters are needed.
 */
export function localSettingsSql(schema: string, timeoutMs: number): string[] {
  return [
    `set local search_path to ${searchPathFor(schema)}`,
    `set local lock_timeout = ${Math.round(lockTimeoutFor(timeoutMs))}`,
    `set local statement_timeout = ${Math.round(timeoutMs)}`,
  ];
}

/** Leaves a reused connection as it was found. */
export async function resetTargetSettings(client: Queryable) {
  await client.query("reset search_path; reset lock_timeout; reset statement_timeout");
}

/** Takes the session advisory lock `key` if free; never waits. */
export async function tryAdvisoryLock(client: Queryable, key: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1::bigint) as locked", [key]);
  return rows[0]?.locked === true;
}

export async function advisoryUnlock(client: Queryable, key: string) {
  await client.query("select pg_advisory_unlock($1::bigint)", [key]);
}

export async function begin(client: Queryable) {
  await client.query("begin");
}

export async function commit(client: Queryable) {
  await client.query("commit");
}

/** Ends a failed transaction; a session already gone has nothing to roll back, so errors are dropped. */
export async function rollbackQuietly(client: Queryable) {
  await client.query("rollback").catch(() => {});
}

/** A rehearsal's savepoint around each migration: opened and released inside the migration's message. */
export const REHEARSAL_SAVEPOINT_SQL = "savepoint rehearse_migration";
export const RELEASE_REHEARSAL_SAVEPOINT_SQL = "release savepoint rehearse_migration";

/** Undoes a failed migration in a rehearsal, keeping the rehearsal's outer transaction. */
export async function rollbackToRehearsalSavepoint(client: Queryable) {
  await client.query("rollback to savepoint rehearse_migration");
}
