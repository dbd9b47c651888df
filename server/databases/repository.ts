import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type pg from "pg";
import type { Db } from "../db/client";
import { connectionHealthChecks, connections, tenants } from "../db/schema";
import { type Tier } from "../domain/fleet";
import type { ConnectionListQuery } from "./schemas";

export type ConnectionRow = typeof connections.$inferSelect;
export type NewConnectionRow = typeof connections.$inferInsert;
export type ConnectionPatch = Partial<Omit<NewConnectionRow, "id" | "createdAt" | "createdBy">>;

/** Any drizzle handle: the pool-backed db or a transaction. */
type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

const live = isNull(connections.deletedAt);

export async function insertConnection(db: Tx, values: NewConnectionRow): Promise<ConnectionRow> {
  const [row] = await db.insert(connections).values(values).returning();
  return row!;
}

export async function findLiveConnection(db: Tx, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(connections).where(and(eq(connections.id, id), live));
  return row;
}

export async function findLiveConnectionByName(db: Tx, name: string, exceptId?: string): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.name, name), live, exceptId ? ne(connections.id, exceptId) : undefined));
  return row;
}

/** The live, active connection of a tier that only allows one (admin; shared per region), if any. */
export async function findActiveSingleton(
  db: Tx,
  tier: "admin" | "shared",
  region: string | null,
  exceptId?: string,
): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(connections)
    .where(
      and(
        eq(connections.connectionType, tier),
        eq(connections.isActive, true),
        live,
        tier === "shared" && region ? eq(connections.region, region) : undefined,
        exceptId ? ne(connections.id, exceptId) : undefined,
      ),
    );
  return row;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listConnections(db: Tx, q: ConnectionListQuery): Promise<{ rows: ConnectionRow[]; total: number }> {
  const where: SQL[] = [live];
  if (q.region) where.push(eq(connections.region, q.region));
  if (q.connection_type) where.push(eq(connections.connectionType, q.connection_type));
  if (q.is_active !== undefined) where.push(eq(connections.isActive, q.is_active));
  if (q.is_healthy !== undefined) where.push(eq(connections.isHealthy, q.is_healthy));
  if (q.search) {
    const pattern = `%${escapeLike(q.search)}%`;
    where.push(
      or(ilike(connections.name, pattern), ilike(connections.host, pattern), ilike(connections.databaseName, pattern))!,
    );
  }
  const condition = and(...where);
  const [rows, [totals]] = await Promise.all([
    db
      .select()
      .from(connections)
      .where(condition)
      .orderBy(asc(connections.connectionType), asc(connections.region), asc(connections.name))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: count() }).from(connections).where(condition),
  ]);
  return { rows, total: totals?.n ?? 0 };
}

/** Live connections for plans and health: optionally only active ones, of some tiers, in a region. */
export async function listLiveConnections(
  db: Tx,
  filter: { activeOnly?: boolean; tiers?: readonly Tier[]; region?: string; ids?: readonly string[] } = {},
): Promise<ConnectionRow[]> {
  const where: SQL[] = [live];
  if (filter.activeOnly) where.push(eq(connections.isActive, true));
  if (filter.tiers?.length) where.push(inArray(connections.connectionType, [...filter.tiers]));
  if (filter.region) where.push(eq(connections.region, filter.region));
  if (filter.ids) where.push(filter.ids.length ? inArray(connections.id, [...filter.ids]) : sql`false`);
  return db
    .select()
    .from(connections)
    .where(and(...where))
    .orderBy(asc(connections.connectionType), asc(connections.region), asc(connections.name));
}

export async function updateLiveConnection(db: Tx, id: string, patch: ConnectionPatch): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .update(connections)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(connections.id, id), live))
    .returning();
  return row;
}

/**
 * Tenants hosted on a connection that are not archived. A tenant lives on its connection the way a
 * row references its parent: the registry counts them before letting the connection go.
 */
export async function countHostedTenants(db: Tx, connectionId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(tenants)
    .where(and(eq(tenants.connectionId, connectionId), ne(tenants.status, "archived")));
  return row?.n ?? 0;
}

export async function softDeleteConnection(db: Tx, id: string, deletedBy: string): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .update(connections)
    .set({ deletedAt: new Date(), deletedBy, isActive: false, updatedAt: new Date(), updatedBy: deletedBy })
    .where(and(eq(connections.id, id), live))
    .returning();
  return row;
}

export interface HealthObservation {
  checkedAt: Date;
  isHealthy: boolean;
  responseTimeMs: number | null;
  serverVersion: string | null;
  error: string | null;
}

/**
 * Stores one probe: the connection's current health columns and a history row, and prunes that
 * connection's history past the retention (by the (connection_id, checked_at) index, so cheap).
 * A probe older than the one already recorded (a slower instance finishing late) does not
 * overwrite the newer state.
 */
export async function recordHealthObservation(db: Db, connectionId: string, o: HealthObservation, retentionDays: number) {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(connections)
      .set({
        isHealthy: o.isHealthy,
        lastHealthCheck: o.checkedAt,
        responseTimeMs: o.responseTimeMs,
        serverVersion: o.isHealthy ? o.serverVersion : sql`${connections.serverVersion}`,
        healthError: o.error,
      })
      .where(
        and(
          eq(connections.id, connectionId),
          or(isNull(connections.lastHealthCheck), lt(connections.lastHealthCheck, o.checkedAt)),
        ),
      )
      .returning({ id: connections.id });
    if (updated.length === 0) return;
    await tx.insert(connectionHealthChecks).values({ connectionId, ...o });
    await tx
      .delete(connectionHealthChecks)
      .where(
        and(
          eq(connectionHealthChecks.connectionId, connectionId),
          lt(connectionHealthChecks.checkedAt, sql`now() - make_interval(days => ${retentionDays})`),
        ),
      );
  });
}

export type HealthCheckRow = typeof connectionHealthChecks.$inferSelect;

export async function listHealthHistory(db: Tx, connectionId: string, limit: number): Promise<HealthCheckRow[]> {
  if (limit === 0) return [];
  return db
    .select()
    .from(connectionHealthChecks)
    .where(eq(connectionHealthChecks.connectionId, connectionId))
    .orderBy(desc(connectionHealthChecks.checkedAt))
    .limit(limit);
}

/** Live, active connections whose last probe is older than `staleBefore` (or that were never probed). */
export async function listDueForHealthCheck(db: Tx, staleBefore: Date): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(connections)
    .where(
      and(
        live,
        eq(connections.isActive, true),
        or(isNull(connections.lastHealthCheck), lt(connections.lastHealthCheck, staleBefore)),
      ),
    )
    .orderBy(sql`${connections.lastHealthCheck} asc nulls first`);
}

export interface TierHealthRow {
  tier: Tier;
  total: number;
  healthy: number;
  unhealthy: number;
  unknown: number;
  lastCheck: Date | null;
}

/** Counts of live, active connections per tier; a probe older than `staleBefore` counts as unknown. */
export async function healthCountsByTier(db: Tx, staleBefore: Date): Promise<TierHealthRow[]> {
  const fresh = sql`${connections.lastHealthCheck} >= ${staleBefore.toISOString()}::timestamptz`;
  const rows = await db
    .select({
      tier: connections.connectionType,
      total: sql<number>`count(*)::int`,
      healthy: sql<number>`(count(*) filter (where ${connections.isHealthy} and ${fresh}))::int`,
      unhealthy: sql<number>`(count(*) filter (where not ${connections.isHealthy} and ${fresh}))::int`,
      lastCheck: sql<string | null>`max(${connections.lastHealthCheck})::text`,
    })
    .from(connections)
    .where(and(live, eq(connections.isActive, true)))
    .groupBy(connections.connectionType);
  return rows.map((r) => ({
    tier: r.tier,
    total: r.total,
    healthy: r.healthy,
    unhealthy: r.unhealthy,
    unknown: r.total - r.healthy - r.unhealthy,
    lastCheck: r.lastCheck ? new Date(r.lastCheck) : null,
  }));
}

/** One batch of rows whose password was sealed under another key, locked for this transaction. */
export async function lockStaleKeyBatch(db: Tx, currentKeyId: string, afterId: string | null, limit: number) {
  return db
    .select({
      id: connections.id,
      passwordEncrypted: connections.passwordEncrypted,
      passwordKeyId: connections.passwordKeyId,
    })
    .from(connections)
    .where(
      and(
        sql`${connections.passwordEncrypted} is not null`,
        or(isNull(connections.passwordKeyId), ne(connections.passwordKeyId, currentKeyId)),
        afterId ? gt(connections.id, afterId) : undefined,
      ),
    )
    .orderBy(asc(connections.id))
    .limit(limit)
    .for("update");
}

export async function setSealedPassword(db: Tx, id: string, sealed: { ciphertext: string; keyId: string }) {
  await db
    .update(connections)
    .set({ passwordEncrypted: sealed.ciphertext, passwordKeyId: sealed.keyId })
    .where(eq(connections.id, id));
}

/** How many stored passwords each key id protects (rotation progress, `keys:rotate --check`). */
export async function countPasswordsByKey(db: Tx): Promise<Array<{ keyId: string | null; n: number }>> {
  return db
    .select({ keyId: connections.passwordKeyId, n: sql<number>`count(*)::int` })
    .from(connections)
    .where(sql`${connections.passwordEncrypted} is not null`)
    .groupBy(connections.passwordKeyId);
}

/** Arbitrary but fixed: one health round at a time across all console instances. */
const HEALTH_ROUND_LOCK = 7_310_442_101;

/**
 * Takes the health-round lock on this session if it is free (false when another instance runs a
 * round). Plain SQL on a session the caller holds: a session advisory lock belongs to that session.
 */
export async function tryHealthRoundLock(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [HEALTH_ROUND_LOCK]);
  return rows[0]?.locked ?? false;
}

export async function releaseHealthRoundLock(client: pg.ClientBase): Promise<void> {
  await client.query("select pg_advisory_unlock($1)", [HEALTH_ROUND_LOCK]);
}
