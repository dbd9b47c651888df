import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { connections, tenants } from "../db/schema";

/**
 * The demo fleet's rows in the control plane, written directly rather than through the registry's
 * services: seeding is idempotent (a restart updates what exists and leaves registered tenants
 * alone), and is neither audited nor probed like an operator's registration.
 */

type NewConnectionRow = typeof connections.$inferInsert;
type NewTenantRow = typeof tenants.$inferInsert;

/** Creates the connection named `name`, or updates the live one of that name; returns its id. */
export async function upsertConnectionByName(
  db: Db,
  name: string,
  values: Omit<NewConnectionRow, "name" | "createdBy">,
  createdBy: string,
): Promise<string> {
  const [existing] = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.name, name), isNull(connections.deletedAt)));
  if (existing) {
    await db.update(connections).set(values).where(eq(connections.id, existing.id));
    return existing.id;
  }
  const [row] = await db.insert(connections).values({ ...values, name, createdBy }).returning({ id: connections.id });
  return row!.id;
}

/** Registers the tenant unless one with its slug exists. */
export async function insertTenantIfAbsent(db: Db, values: NewTenantRow): Promise<void> {
  await db.insert(tenants).values(values).onConflictDoNothing({ target: tenants.slug });
}
