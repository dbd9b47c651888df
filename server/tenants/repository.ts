import { and, asc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { connections, tenants, tenantsChanges } from "../db/schema";
import { type TenantStatus } from "../domain/fleet";

export type TenantRow = typeof tenants.$inferSelect;
export type NewTenantRow = typeof tenants.$inferInsert;
export type TenantPatch = Partial<Omit<NewTenantRow, "id" | "slug" | "createdAt" | "createdBy">>;
/** A tenant with the name of the connection hosting it (for lists and the detail page). */
export type TenantWithConnection = TenantRow & { connectionName: string | null };

type Tx = Pick<Db, "select" | "insert" | "update" | "delete">;

const withConnection = {
  tenant: tenants,
  connectionName: connections.name,
};

const flatten = (r: { tenant: TenantRow; connectionName: string | null }): TenantWithConnection => ({
  ...r.tenant,
  connectionName: r.connectionName,
});

export async function insertTenants(db: Tx, rows: NewTenantRow[]): Promise<TenantRow[]> {
  return db.insert(tenants).values(rows).returning();
}

export async function findTenant(db: Tx, id: string): Promise<TenantWithConnection | undefined> {
  const [row] = await db
    .select(withConnection)
    .from(tenants)
    .leftJoin(connections, eq(connections.id, tenants.connectionId))
    .where(eq(tenants.id, id));
  return row && flatten(row);
}

export async function findTenantBySlug(db: Tx, slug: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  return row;
}

export async function findTenantsBySlugs(db: Tx, slugs: string[]): Promise<TenantRow[]> {
  if (slugs.length === 0) return [];
  return db.select().from(tenants).where(inArray(tenants.slug, slugs));
}

export async function findTenantsInSchemas(db: Tx, connectionId: string, schemaNames: string[], exceptId?: string): Promise<TenantRow[]> {
  if (schemaNames.length === 0) return [];
  return db
    .select()
    .from(tenants)
    .where(
      and(
        eq(tenants.connectionId, connectionId),
        inArray(tenants.schemaName, schemaNames),
        exceptId ? ne(tenants.id, exceptId) : undefined,
      ),
    );
}

export async function listSchemaNamesOnConnection(db: Tx, connectionId: string): Promise<string[]> {
  const rows = await db.select({ s: tenants.schemaName }).from(tenants).where(eq(tenants.connectionId, connectionId));
  return rows.map((r) => r.s);
}

/** What a plan needs of a tenant (a plan of 100,000 tenants reads only these columns). */
export type PlanTenantRow = Pick<TenantRow, "id" | "slug" | "name" | "region" | "connectionId" | "schemaName" | "status">;

const planColumns = {
  id: tenants.id,
  slug: tenants.slug,
  name: tenants.name,
  region: tenants.region,
  connectionId: tenants.connectionId,
  schemaName: tenants.schemaName,
  status: tenants.status,
};

/** Tenants for plans: by status, region, ids or hosting connections. */
export async function listTenantsWhere(
  db: Tx,
  filter: { statuses?: TenantStatus[]; region?: string; ids?: string[]; connectionIds?: string[] },
): Promise<PlanTenantRow[]> {
  const where: SQL[] = [];
  if (filter.statuses?.length) where.push(inArray(tenants.status, filter.statuses));
  if (filter.region) where.push(eq(tenants.region, filter.region));
  if (filter.ids) where.push(filter.ids.length ? inArray(tenants.id, filter.ids) : sql`false`);
  if (filter.connectionIds) {
    where.push(filter.connectionIds.length ? inArray(tenants.connectionId, filter.connectionIds) : sql`false`);
  }
  return db
    .select(planColumns)
    .from(tenants)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(tenants.region), asc(tenants.slug));
}

/** The tenants' change counter (null if its row is missing: nothing can then be kept). */
export async function tenantsChangeCount(db: Tx): Promise<number | null> {
  const [row] = await db.select({ changes: tenantsChanges.changes }).from(tenantsChanges).where(eq(tenantsChanges.id, 1));
  return row?.changes ?? null;
}

/**
 * Ids of the tenants whose `metadata.tags` (an array of strings) holds one of `tags`. Plain SQL:
 * drizzle has no operator for jsonb's `?|`.
 */
export async function tenantIdsWithTags(db: Tx, tags: readonly string[]): Promise<string[]> {
  if (tags.length === 0) return [];
  const rows = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(sql`${tenants.metadata} -> 'tags' ?| ${sql.raw("array")}[${sql.join(tags.map((t) => sql`${t}`), sql`, `)}]::text[]`);
  return rows.map((r) => r.id);
}

export async function updateTenant(db: Tx, id: string, patch: TenantPatch): Promise<TenantRow | undefined> {
  const [row] = await db
    .update(tenants)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(tenants.id, id))
    .returning();
  return row;
}

