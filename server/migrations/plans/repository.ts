import { eq, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { planSnapshots } from "../../db/schema";

export type PlanSnapshotRow = typeof planSnapshots.$inferSelect;
type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

/** Stores a snapshot unless one with its fingerprint exists (the same plan previewed twice). */
export async function insertSnapshotIfAbsent(db: Tx, fingerprint: string, snapshot: string): Promise<void> {
  await db.insert(planSnapshots).values({ fingerprint, snapshot }).onConflictDoNothing();
}

/** Deletes snapshots stored more than `days` days ago, by the database's clock. */
export async function deleteSnapshotsOlderThan(db: Tx, days: number): Promise<void> {
  await db.delete(planSnapshots).where(lt(planSnapshots.createdAt, sql`now() - make_interval(days => ${days})`));
}

export async function snapshotExists(db: Tx, fingerprint: string): Promise<boolean> {
  const rows = await db.select({ fingerprint: planSnapshots.fingerprint }).from(planSnapshots).where(eq(planSnapshots.fingerprint, fingerprint));
  return rows.length > 0;
}

export async function findSnapshot(db: Tx, fingerprint: string): Promise<PlanSnapshotRow | undefined> {
  const [row] = await db.select().from(planSnapshots).where(eq(planSnapshots.fingerprint, fingerprint));
  return row;
}
