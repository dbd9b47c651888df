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
 * Both limits come from the migration's timeout, but the lock limit is a little shorter: with equal
 * values the statement clock, started first, always fires first, and a blocked lock would surface as
 * a statement timeout (an SQL failure) instead of a lock timeout (55P03, worth a retry).
 */
export function lockTimeoutFor(timeoutMs: number): number {
  return Math.max(1, timeoutMs - Math.min(1000, Math.floor(timeoutMs / 10)));
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
