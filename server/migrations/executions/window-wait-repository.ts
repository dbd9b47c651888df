import { and, eq, inArray, sql } from "drizzle-orm";
import { executionTargets, targetWindowWaits } from "../../db/schema";
import type { Tx } from "./repository";

/** SQL for targets held back by a closed maintenance window (console.target_window_waits). */

export type WindowWaitRow = typeof targetWindowWaits.$inferSelect;

/**
 * Records (or moves) a target's wait for its window; true when the target was not waiting yet
 * (the first wait is an event, later checks are silent).
 */
export async function upsertWindowWait(db: Tx, w: { targetId: string; executionId: string; opensAt: Date | null }): Promise<boolean> {
  // Plain SQL: `xmax = 0` tells an inserted row from an updated one in the same statement.
  const result = await db.execute<{ inserted: boolean }>(sql`
    insert into ${targetWindowWaits} (target_id, execution_id, opens_at)
    values (${w.targetId}, ${w.executionId}, ${w.opensAt})
    on conflict (target_id) do update set opens_at = excluded.opens_at
    returning (xmax = 0) as inserted`);
  return result.rows[0]?.inserted === true;
}

export async function deleteWindowWait(db: Tx, targetId: string): Promise<boolean> {
  const rows = await db.delete(targetWindowWaits).where(eq(targetWindowWaits.targetId, targetId)).returning({ id: targetWindowWaits.targetId });
  return rows.length > 0;
}

/** Ends every wait of an execution (an override); returns the targets still queued, to queue them now. */
export async function releaseWindowWaits(db: Tx, executionId: string) {
  const released = await db
    .delete(targetWindowWaits)
    .where(eq(targetWindowWaits.executionId, executionId))
    .returning({ targetId: targetWindowWaits.targetId });
  if (released.length === 0) return [];
  return db
    .select()
    .from(executionTargets)
    .where(and(inArray(executionTargets.id, released.map((r) => r.targetId)), eq(executionTargets.status, "pending")));
}

/** The waits of these targets of one execution (a page of them). */
export async function windowWaitsOf(db: Tx, executionId: string, targetIds: readonly string[]): Promise<WindowWaitRow[]> {
  if (targetIds.length === 0) return [];
  return db
    .select()
    .from(targetWindowWaits)
    .where(and(eq(targetWindowWaits.executionId, executionId), inArray(targetWindowWaits.targetId, [...targetIds])));
}

/** How many of an execution's queued targets wait for a window, and the earliest opening among them. */
export async function windowWaitSummary(db: Tx, executionId: string): Promise<{ waiting: number; opensAt: Date | null }> {
  const [row] = await db
    .select({ waiting: sql<number>`count(*)::int`, opensAt: sql<Date | null>`min(${targetWindowWaits.opensAt})` })
    .from(targetWindowWaits)
    .innerJoin(executionTargets, eq(executionTargets.id, targetWindowWaits.targetId))
    .where(and(eq(targetWindowWaits.executionId, executionId), eq(executionTargets.status, "pending")));
  const opensAt = row?.opensAt ? new Date(row.opensAt) : null;
  return { waiting: row?.waiting ?? 0, opensAt };
}
