import { and, asc, count, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { schedules } from "../db/schema";

/** SQL for schedules. */

export type ScheduleRow = typeof schedules.$inferSelect;
export type NewScheduleRow = typeof schedules.$inferInsert;
/** Column values (services pass values; SQL expressions stay in this file). */
export type SchedulePatch = Partial<Omit<NewScheduleRow, "id" | "createdAt" | "createdBy">>;
type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

export async function insertSchedule(db: Tx, values: NewScheduleRow): Promise<ScheduleRow> {
  const [row] = await db.insert(schedules).values(values).returning();
  return row!;
}

export async function findSchedule(db: Tx, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(schedules).where(eq(schedules.id, id));
  return row;
}

export async function listSchedules(
  db: Tx,
  filter: { enabled?: boolean; limit: number; offset: number },
): Promise<{ rows: ScheduleRow[]; total: number }> {
  const where = filter.enabled === undefined ? undefined : eq(schedules.enabled, filter.enabled);
  const [rows, [counted]] = await Promise.all([
    db.select().from(schedules).where(where).orderBy(asc(schedules.name)).limit(filter.limit).offset(filter.offset),
    db.select({ total: count() }).from(schedules).where(where),
  ]);
  return { rows, total: counted?.total ?? 0 };
}

export async function updateSchedule(db: Tx, id: string, patch: SchedulePatch): Promise<ScheduleRow | undefined> {
  const [row] = await db.update(schedules).set(patch).where(eq(schedules.id, id)).returning();
  return row;
}

export async function deleteSchedule(db: Tx, id: string): Promise<boolean> {
  const rows = await db.delete(schedules).where(eq(schedules.id, id)).returning({ id: schedules.id });
  return rows.length > 0;
}

/** Enabled schedules whose time has come, oldest first. */
export async function listDue(db: Tx, now: Date, limit: number): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(schedules)
    .where(and(eq(schedules.enabled, true), lte(schedules.nextRunAt, now)))
    .orderBy(asc(schedules.nextRunAt))
    .limit(limit);
}

/**
 * Claims one firing: moves next_run_at from `due` to `next` only if nobody did yet. Every console
 * instance may try; exactly one update matches. Compared at millisecond precision, the precision
 * the value was written with.
 */
export async function claimFiring(
  db: Tx,
  id: string,
  due: Date,
  set: { next: Date | null; executionId: string | null; error: string | null },
): Promise<boolean> {
  const rows = await db
    .update(schedules)
    .set({
      nextRunAt: set.next,
      lastRunAt: new Date(),
      lastExecutionId: set.executionId ?? sql`${schedules.lastExecutionId}`,
      metadata: set.error
        ? sql`${schedules.metadata} || jsonb_build_object('last_error', ${set.error}::text)`
        : sql`${schedules.metadata} - 'last_error'`,
    })
    .where(and(eq(schedules.id, id), eq(schedules.enabled, true), sql`date_trunc('milliseconds', ${schedules.nextRunAt}) = ${due}`))
    .returning({ id: schedules.id });
  return rows.length > 0;
}
