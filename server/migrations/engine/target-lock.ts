import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { advisoryUnlock, tryAdvisoryLock } from "./session-repository";
import { TargetBusyError } from "./target-errors";
import type { Target } from "./types";

/** How long an execution waits for another one to release a target before giving up. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;

/**
 * The advisory lock key of a target: a stable signed 64-bit number derived from (database,
 * schema), the same in every console process and worker.
 */
export function targetLockKey(target: Pick<Target, "databaseName" | "schemaName">): string {
  const digest = createHash("sha256").update(`migration-target\0${target.databaseName}\0${target.schemaName}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Takes the target's session advisory lock, waiting up to `waitMs`, else throws TargetBusyError.
 *
 * Polls pg_try_advisory_lock instead of blocking in pg_advisory_lock: a session blocked inside a
 * statement keeps a snapshot open, and CREATE INDEX CONCURRENTLY (run by the lock holder) waits for
 * every older snapshot in the database. Holder and waiter would wait on each other until the
 * deadlock detector killed one. Between polls the waiter holds nothing.
 */
export async function acquireTargetLock(
  client: Pick<pg.ClientBase, "query">,
  target: Pick<Target, "databaseName" | "schemaName">,
  waitMs: number = DEFAULT_LOCK_WAIT_MS,
): Promise<void> {
  const key = targetLockKey(target);
  const started = Date.now();
  let pause = 25;
  for (;;) {
    if (await tryAdvisoryLock(client, key)) return;
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new TargetBusyError(target, waited);
    await sleep(Math.min(pause, waitMs - waited));
    pause = Math.min(pause * 2, 500);
  }
}

export async function releaseTargetLock(
  client: Pick<pg.ClientBase, "query">,
  target: Pick<Target, "databaseName" | "schemaName">,
): Promise<void> {
  await advisoryUnlock(client, targetLockKey(target));
}
