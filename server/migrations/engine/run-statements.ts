import type pg from "pg";
import { quoteIdent } from "./quote-ident";
import { describeError, MigrationError } from "./target-errors";
import type { Migration, MigrationPart } from "./types";

type Queryable = Pick<pg.ClientBase, "query">;

/** The target's schema first, then `public`, where a region's shared objects live. */
export function searchPathFor(schema: string): string {
  return schema === "public" ? quoteIdent("public") : `${quoteIdent(schema)}, public`;
}

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

/**
 * Both limits come from the migration's timeout, but the lock limit is a little shorter: with equal
 * values the statement clock, started first, always fires first, and a blocked lock would surface as
 * a statement timeout (an SQL failure) instead of a lock timeout (55P03, worth a retry).
 */
export function lockTimeoutFor(timeoutMs: number): number {
  return Math.max(1, timeoutMs - Math.min(1000, Math.floor(timeoutMs / 10)));
}

/** Leaves a reused connection as it was found. */
export async function resetTargetSettings(client: Queryable) {
  await client.query("reset search_path; reset lock_timeout; reset statement_timeout");
}

/**
 * Runs a part's statements one by one, each its own message: the path of `transaction: false`
 * files, whose statements (CREATE INDEX CONCURRENTLY…) PostgreSQL refuses inside a transaction
 * block, which a message of several statements is. Transactional parts go in one message instead
 * (migration-message.ts). Throws MigrationError pinned to the statement and its line.
 */
export async function runPart(client: Queryable, migration: Migration, part: MigrationPart): Promise<void> {
  for (const statement of part.statements) {
    try {
      await client.query(statement.sql);
    } catch (error) {
      throw new MigrationError(describeError(error, { migration, part, statement }));
    }
  }
}

/** Milliseconds since `start` (a performance.now() reading), rounded for storage. */
export function elapsedMs(start: number): number {
  return Math.round(performance.now() - start);
}
