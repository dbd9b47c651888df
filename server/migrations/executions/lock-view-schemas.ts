import { z } from "zod";

/** GET /api/migrations/{id}/locks: which running targets' sessions wait on a lock, and who holds it. */

export const ZLockBlocker = z.object({
  pid: z.number().int().describe("the blocking session's backend pid (0: a prepared transaction)"),
  application_name: z.string().nullable(),
  user: z.string().nullable(),
  state: z.string().nullable().describe("null when the console's role may not see other roles' sessions (pg_read_all_stats)"),
  query_start: z.string().nullable().describe("when its current (or last) statement started"),
  xact_start: z.string().nullable().describe("when its transaction started: how long it has held what it holds"),
  held_modes: z.array(z.string()).describe("lock modes it holds on the object the target waits for"),
  waiting_for_mode: z.string().nullable().describe("set when it does not hold the lock but queues ahead of the target for it"),
  console_target_id: z.uuid().nullable().describe("when the blocker is another target of the console's own executions"),
});
export type LockBlocker = z.infer<typeof ZLockBlocker>;

export const ZTargetLockState = z.object({
  target_id: z.uuid(),
  target: z.string().describe("<connection name>/<schema>"),
  session: z
    .object({
      pid: z.number().int(),
      state: z.string().nullable(),
      wait_event_type: z.string().nullable(),
      wait_event: z.string().nullable(),
      query_start: z.string().nullable(),
    })
    .nullable()
    .describe("the target's migration session; null between sessions (connecting, recording its result)"),
  waiting: z.boolean().describe("the session waits for a lock"),
  lock: z
    .object({
      type: z.string().describe("pg_locks.locktype: relation, transactionid, tuple, advisory…"),
      mode: z.string().describe("the mode the target asked for, e.g. AccessExclusiveLock"),
      relation: z.string().nullable(),
      waiting_since: z.string().nullable().describe("PostgreSQL 14+"),
    })
    .nullable(),
  blocked_by: z.array(ZLockBlocker),
  problem: z.string().nullable().describe("why the target's database could not be sampled"),
});
export type TargetLockState = z.infer<typeof ZTargetLockState>;

export const ZExecutionLocks = z.object({
  execution_id: z.uuid(),
  sampled_at: z.string(),
  targets: z.array(ZTargetLockState).describe("the running targets, waiting ones first"),
});
export type ExecutionLocks = z.infer<typeof ZExecutionLocks>;
