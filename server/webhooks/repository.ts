import { and, arrayContains, asc, count, desc, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { WebhookDeliveryStatus } from "../domain/webhooks";

/** SQL for webhook endpoints and their deliveries. Plain functions over any drizzle handle (pool or transaction). */

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type NewEndpointRow = typeof webhookEndpoints.$inferInsert;
export type EndpointPatch = Partial<Omit<NewEndpointRow, "id" | "createdAt" | "createdBy">>;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type NewDeliveryRow = typeof webhookDeliveries.$inferInsert;
export type DeliveryPatch = Partial<Pick<
  NewDeliveryRow,
  "status" | "attempts" | "lastStatusCode" | "lastError" | "lastDurationMs" | "lastAttemptAt" | "nextAttemptAt" | "deliveredAt"
>>;
type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

/** Whether a write failed on the unique endpoint name (SQLSTATE 23505 on webhook_endpoints_name_uq; drizzle wraps the pg error). */
export function isDuplicateName(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === "23505") return constraint === "webhook_endpoints_name_uq";
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function insertEndpoint(db: Tx, values: NewEndpointRow): Promise<EndpointRow> {
  const [row] = await db.insert(webhookEndpoints).values(values).returning();
  return row!;
}

export async function findEndpoint(db: Tx, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row;
}

export async function listEndpoints(db: Tx, page: { limit: number; offset: number }): Promise<{ rows: EndpointRow[]; total: number }> {
  const [rows, [counted]] = await Promise.all([
    db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.name)).limit(page.limit).offset(page.offset),
    db.select({ total: count() }).from(webhookEndpoints),
  ]);
  return { rows, total: counted?.total ?? 0 };
}

export async function updateEndpoint(db: Tx, id: string, patch: EndpointPatch): Promise<EndpointRow | undefined> {
  const [row] = await db.update(webhookEndpoints).set(patch).where(eq(webhookEndpoints.id, id)).returning();
  return row;
}

/** Deletes the endpoint and (cascade) its delivery log; its queued jobs find nothing and end. */
export async function deleteEndpoint(db: Tx, id: string): Promise<boolean> {
  const rows = await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** Enabled endpoints subscribed to `eventType`: where an event goes. */
export async function subscribedEndpoints(db: Tx, eventType: string): Promise<Array<Pick<EndpointRow, "id" | "name" | "format">>> {
  return db
    .select({ id: webhookEndpoints.id, name: webhookEndpoints.name, format: webhookEndpoints.format })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.enabled, true), arrayContains(webhookEndpoints.events, [eventType])))
    // One order for every writer: their queue rows are created in the same order, so two
    // transactions emitting at once never wait on each other crosswise.
    .orderBy(asc(webhookEndpoints.id));
}

export async function insertDeliveries(db: Tx, rows: NewDeliveryRow[]): Promise<DeliveryRow[]> {
  if (rows.length === 0) return [];
  return db.insert(webhookDeliveries).values(rows).returning();
}

export async function findDelivery(db: Tx, id: string): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow } | undefined> {
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, id));
  return row;
}

export async function updateDelivery(db: Tx, id: string, patch: DeliveryPatch): Promise<void> {
  await db.update(webhookDeliveries).set(patch).where(eq(webhookDeliveries.id, id));
}

export async function listDeliveries(
  db: Tx,
  endpointId: string,
  filter: { status?: WebhookDeliveryStatus; limit: number; offset: number },
): Promise<{ rows: DeliveryRow[]; total: number }> {
  const where = filter.status
    ? and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, filter.status))
    : eq(webhookDeliveries.endpointId, endpointId);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(webhookDeliveries)
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ total: count() }).from(webhookDeliveries).where(where),
  ]);
  return { rows, total: counted?.total ?? 0 };
}

/** The newest delivery of each endpoint in `ids`. */
export async function latestDeliveries(db: Pick<Db, "selectDistinctOn">, ids: readonly string[]): Promise<DeliveryRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectDistinctOn([webhookDeliveries.endpointId])
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.endpointId, [...ids]))
    .orderBy(webhookDeliveries.endpointId, desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id));
}

/** Endpoints whose secret is sealed under another key than `currentKeyId`, locked for re-sealing. */
export async function lockStaleSecrets(db: Tx, currentKeyId: string) {
  return db
    .select({ id: webhookEndpoints.id, secretEncrypted: webhookEndpoints.secretEncrypted, secretKeyId: webhookEndpoints.secretKeyId })
    .from(webhookEndpoints)
    .where(ne(webhookEndpoints.secretKeyId, currentKeyId))
    .orderBy(asc(webhookEndpoints.id))
    .for("update");
}

export async function setSealedSecret(db: Tx, id: string, sealed: { ciphertext: string; keyId: string }): Promise<void> {
  await db.update(webhookEndpoints).set({ secretEncrypted: sealed.ciphertext, secretKeyId: sealed.keyId }).where(eq(webhookEndpoints.id, id));
}

/** How many endpoint secrets each key id protects (`keys:rotate --check`). */
export async function countSecretsByKey(db: Tx): Promise<Array<{ keyId: string; n: number }>> {
  return db.select({ keyId: webhookEndpoints.secretKeyId, n: count() }).from(webhookEndpoints).groupBy(webhookEndpoints.secretKeyId);
}
