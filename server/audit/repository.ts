import { and, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditLog } from "../db/schema";
import type { AuditQuery } from "./schemas";

export type NewAuditRow = typeof auditLog.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;

export async function insertAudit(db: Db, row: NewAuditRow): Promise<void> {
  await db.insert(auditLog).values(row);
}

export async function listAudit(db: Db, q: AuditQuery): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (q.actor) where.push(or(eq(auditLog.actorId, q.actor), eq(auditLog.actorName, q.actor))!);
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.resource_type) where.push(eq(auditLog.resourceType, q.resource_type));
  if (q.resource_id) where.push(eq(auditLog.resourceId, q.resource_id));
  if (q.outcome) where.push(eq(auditLog.outcome, q.outcome));
  if (q.since) where.push(gte(auditLog.at, new Date(q.since)));
  if (q.until) where.push(lte(auditLog.at, new Date(q.until)));
  if (q.before_id) where.push(lt(auditLog.id, q.before_id));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit);
}
