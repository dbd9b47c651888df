import { and, asc, count, eq, inArray, isNull, ne, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { connections, maintenanceWindows } from "../db/schema";

/** SQL for maintenance windows. Plain functions over any drizzle handle (pool or transaction). */

export type WindowRow = typeof maintenanceWindows.$inferSelect;
export type NewWindowRow = typeof maintenanceWindows.$inferInsert;
export type WindowPatch = Partial<Omit<NewWindowRow, "id" | "createdAt" | "createdBy" | "connectionId" | "region">>;
type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

export async function insertWindow(db: Tx, values: NewWindowRow): Promise<WindowRow> {
  const [row] = await db.insert(maintenanceWindows).values(values).returning();
  return row!;
}

export async function findWindow(db: Tx, id: string): Promise<WindowRow | undefined> {
  const [row] = await db.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, id));
  return row;
}

export async function updateWindow(db: Tx, id: string, patch: WindowPatch): Promise<WindowRow | undefined> {
  const [row] = await db
    .update(maintenanceWindows)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(maintenanceWindows.id, id))
    .returning();
  return row;
}

export async function deleteWindow(db: Tx, id: string): Promise<WindowRow | undefined> {
  const [row] = await db.delete(maintenanceWindows).where(eq(maintenanceWindows.id, id)).returning();
  return row;
}

/** A page of windows filtered by database and/or region (none: all), oldest first. */
export async function listWindows(
  db: Tx,
  filter: { connectionId?: string; region?: string; limit: number; offset: number },
): Promise<{ rows: WindowRow[]; total: number }> {
  const conditions = [
    filter.connectionId ? eq(maintenanceWindows.connectionId, filter.connectionId) : undefined,
    filter.region ? eq(maintenanceWindows.region, filter.region) : undefined,
  ].filter((c) => c !== undefined);
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(maintenanceWindows)
      .where(where)
      .orderBy(asc(maintenanceWindows.createdAt), asc(maintenanceWindows.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: count() }).from(maintenanceWindows).where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

/** The other windows of the same database or region (for the overlap check). */
export async function siblingWindows(db: Tx, subject: { connectionId: string | null; region: string | null }, exceptId?: string) {
  const same = subject.connectionId ? eq(maintenanceWindows.connectionId, subject.connectionId) : eq(maintenanceWindows.region, subject.region!);
  return db
    .select()
    .from(maintenanceWindows)
    .where(exceptId ? and(same, ne(maintenanceWindows.id, exceptId)) : same);
}

/**
 * Every window that can apply to these databases: their own and their regions' (windows of a
 * region belong to no database).
 */
export async function windowsFor(db: Tx, connectionIds: readonly string[], regions: readonly string[]): Promise<WindowRow[]> {
  if (connectionIds.length === 0 && regions.length === 0) return [];
  return db
    .select()
    .from(maintenanceWindows)
    .where(
      or(
        connectionIds.length ? inArray(maintenanceWindows.connectionId, [...connectionIds]) : undefined,
        regions.length ? and(isNull(maintenanceWindows.connectionId), inArray(maintenanceWindows.region, [...regions])) : undefined,
      ),
    );
}

/** A live database's name and region, or undefined when it is not registered (or was deleted). */
export async function findDatabase(db: Tx, id: string): Promise<{ id: string; name: string; region: string | null } | undefined> {
  const [row] = await db
    .select({ id: connections.id, name: connections.name, region: connections.region })
    .from(connections)
    .where(and(eq(connections.id, id), isNull(connections.deletedAt)));
  return row;
}

/** Whether any live database is in this region. */
export async function regionExists(db: Tx, region: string): Promise<boolean> {
  const rows = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.region, region), isNull(connections.deletedAt)))
    .limit(1);
  return rows.length > 0;
}
