import { getDb } from "../db/client";
import type { TenantStatus } from "../domain/fleet";
import { interner } from "../domain/interner";
import { getConnectionOrThrow, resolveConnectionOrThrow } from "../databases/service";
import type { Connection } from "../databases/schemas";
import { violatedUniqueConstraint } from "../databases/pg-constraint";
import { describeConnectionError } from "../fleet/connection-error";
import { withFleetClient } from "../fleet/fleet-client";
import { assertNoTargetClash, type Candidate, writeWithoutTargetClash } from "../databases/target-overlaps";
import { AppError, conflict, notFound } from "../errors/app-error";
import * as fleet from "./fleet-repository";
import * as repo from "./repository";
import type { Tenant, TenantCreate, TenantUpdate } from "./schemas";

/**
 * Tenants: register (optionally creating the schema on the hosting database), read, list, update,
 * change status. Used by the REST routes, the server actions and the migration engine's planner.
 */

/** A tenant as plans see it. */
export type TenantRecord = repo.PlanTenantRow;

export async function createTenant(input: TenantCreate, actor: string): Promise<Tenant> {
  const db = getDb();
  const connection = await hostingConnectionOrThrow(input.connection_id);
  const region = regionFor(connection, input.region);
  if (await repo.findTenantBySlug(db, input.slug)) throw slugTaken(input.slug);
  await assertSchemaFree(connection, input.schema_name);
  const target = input.status === "active" && connection.is_active ? [tenantTarget(connection, input.schema_name)] : [];
  await assertNoTargetClash(target);

  const created = input.create_schema ? await createSchema(connection, input.schema_name) : false;
  try {
    const values = {
      slug: input.slug,
      name: input.name,
      region,
      connectionId: connection.id,
      schemaName: input.schema_name,
      status: input.status,
      metadata: input.metadata,
      createdBy: actor,
      updatedBy: actor,
    };
    const [row] = await writeOrConflict(() => writeWithoutTargetClash(target, {}, (tx) => repo.insertTenants(tx, [values])));
    return toTenant({ ...row!, connectionName: connection.name });
  } catch (error) {
    // Registration lost a race: leave the database as it was if this call created the schema.
    if (created) await dropEmptySchema(connection, input.schema_name).catch(() => {});
    throw error;
  }
}

export async function getTenantOrThrow(id: string): Promise<Tenant> {
  const row = await repo.findTenant(getDb(), id);
  if (!row) throw notFound("tenant", id);
  return toTenant(row);
}

/**
 * Changes name, status, metadata, or where the tenant lives (connection, schema, region) — the
 * latter after the data was moved by other means; the same placement rules as on create apply.
 */
export async function updateTenant(id: string, input: TenantUpdate, actor: string): Promise<Tenant> {
  const db = getDb();
  const current = await repo.findTenant(db, id);
  if (!current) throw notFound("tenant", id);
  const patch: repo.TenantPatch = { updatedBy: actor };
  let connectionName = current.connectionName;
  let target: Candidate[] = [];

  const moves = input.connection_id !== undefined || input.region !== undefined || input.schema_name !== undefined;
  const activates = input.status === "active" && current.status !== "active";
  // Only a tenant that stays or becomes active, on an active connection, takes part in plans.
  const connection = moves
    ? await hostingConnectionOrThrow(input.connection_id ?? current.connectionId)
    : activates
      ? await hostingConnectionOrThrow(current.connectionId).catch(() => null)
      : null;
  if (connection) {
    const schemaName = input.schema_name ?? current.schemaName;
    const moved = connection.id !== current.connectionId || schemaName !== current.schemaName;
    if (moved) await assertSchemaFree(connection, schemaName, id);
    if ((moved || activates) && (input.status ?? current.status) === "active" && connection.is_active) {
      const field = input.schema_name !== undefined ? "schema_name" : input.connection_id !== undefined ? "connection_id" : "status";
      target = [tenantTarget(connection, schemaName, field)];
      await assertNoTargetClash(target, { tenantId: id });
    }
    if (moves) {
      const region = regionFor(connection, input.region ?? (input.connection_id ? undefined : current.region));
      Object.assign(patch, { connectionId: connection.id, region, schemaName });
      connectionName = connection.name;
    }
  }
  if (input.name !== undefined) patch.name = input.name;
  if (input.status !== undefined) patch.status = input.status;
  if (input.metadata !== undefined) patch.metadata = input.metadata;

  const row = await writeOrConflict(() => writeWithoutTargetClash(target, { tenantId: id }, (tx) => repo.updateTenant(tx, id, patch)));
  if (!row) throw notFound("tenant", id);
  return toTenant({ ...row, connectionName });
}

/**
 * Every active tenant, as plans of the whole fleet last read them, per control-plane client: kept
 * while the tenants' change counter (a trigger on `tenants`, same transaction as the change) reads
 * the same. The counter is read before the list, so a change committing in between only costs a
 * read next time. The rows are shared between callers, who only read them.
 */
const activeTenants = new WeakMap<object, { changes: number; rows: readonly TenantRecord[] }>();

/** Tenants for plans: active ones by default, optionally by region, ids or hosting connections. */
export async function listTenantsForPlan(
  filter: { statuses?: TenantStatus[]; region?: string; ids?: string[]; connectionIds?: string[] } = {},
): Promise<readonly TenantRecord[]> {
  const db = getDb();
  if (Object.values(filter).some((v) => v !== undefined)) return repo.listTenantsWhere(db, { statuses: ["active"], ...filter });
  const changes = await repo.tenantsChangeCount(db);
  const known = activeTenants.get(db);
  if (known && changes !== null && known.changes === changes) return known.rows;
  const rows = await repo.listTenantsWhere(db, { statuses: ["active"] });
  if (changes !== null) activeTenants.set(db, { changes, rows: sharingValues(rows) });
  return rows;
}

/** The kept list holds one copy of each region, connection id and status: 100,000 rows share a few. */
function sharingValues(rows: TenantRecord[]): TenantRecord[] {
  const one = interner();
  for (const r of rows) {
    r.region = one(r.region);
    r.connectionId = one(r.connectionId);
    r.status = one(r.status);
  }
  return rows;
}

/** Tenants tagged (in `metadata.tags`) with any of `tags`: a waved rollout's canaries by tag. */
export async function tenantIdsTagged(tags: readonly string[]): Promise<Set<string>> {
  return new Set(await repo.tenantIdsWithTags(getDb(), tags));
}

/** Schema names already registered on a connection (discovery leaves them out). */
export async function registeredSchemaNames(connectionId: string): Promise<Set<string>> {
  return new Set(await repo.listSchemaNamesOnConnection(getDb(), connectionId));
}

/**
 * The connection a tenant can live on: live, and either its region's shared database or a dedicated
 * database of tier `tenant`. Admin and analytics databases hold no tenants.
 */
export async function hostingConnectionOrThrow(connectionId: string): Promise<Connection> {
  let connection: Connection;
  try {
    connection = await getConnectionOrThrow(connectionId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      throw fieldError("connection_id", `connection ${connectionId} does not exist (or was deleted)`);
    }
    throw error;
  }
  if (connection.connection_type !== "shared" && connection.connection_type !== "tenant") {
    throw fieldError(
      "connection_id",
      `connection ${connection.name} is a ${connection.connection_type} database: tenants live on a shared or tenant database`,
    );
  }
  return connection;
}

/** A tenant's region is its hosting connection's; a connection without a region needs one given. */
export function regionFor(connection: Connection, requested: string | undefined): string {
  if (connection.region && requested && requested !== connection.region) {
    throw fieldError("region", `region ${requested} does not match connection ${connection.name} (${connection.region})`);
  }
  const region = requested ?? connection.region;
  if (!region) throw fieldError("region", `region is required: connection ${connection.name} has none`);
  return region;
}

export function fieldError(field: string, message: string) {
  return new AppError("validation_error", message, {
    location: "body",
    fields: [{ field, message, code: "custom" }],
  });
}

/** Where a tenant in `schemaName` on `connection` is migrated. */
export function tenantTarget(connection: Connection, schemaName: string, field = "schema_name"): Candidate {
  return { host: connection.host, port: connection.port, databaseName: connection.database_name, schemaName, field };
}

async function assertSchemaFree(connection: Connection, schemaName: string, exceptId?: string) {
  const [existing] = await repo.findTenantsInSchemas(getDb(), connection.id, [schemaName], exceptId);
  if (existing) {
    throw conflict(`schema ${schemaName} on ${connection.name} already belongs to tenant ${existing.slug}`, {
      field: "schema_name",
      tenant: existing.slug,
    });
  }
}

/** Creates the schema on the hosting database; true when this call created it (it did not exist). */
async function createSchema(connection: Connection, schemaName: string): Promise<boolean> {
  try {
    return await withFleetClient(await resolveConnectionOrThrow(connection.id), async (client) => {
      if (await fleet.schemaExists(client, schemaName)) return false;
      await fleet.createSchemaIfMissing(client, schemaName);
      return true;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    const { code, message } = describeConnectionError(error);
    throw new AppError("connection_failed", `creating schema ${schemaName} on ${connection.name} failed: ${message}`, {
      code,
      message,
    });
  }
}

async function dropEmptySchema(connection: Connection, schemaName: string) {
  await withFleetClient(await resolveConnectionOrThrow(connection.id), (client) => fleet.dropSchemaIfEmpty(client, schemaName));
}

const slugTaken = (slug: string) => conflict(`a tenant with slug ${slug} already exists`, { field: "slug", slug });

async function writeOrConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = violatedUniqueConstraint(error);
    if (constraint === "tenants_slug_uq") throw conflict("a tenant with this slug already exists", { field: "slug" });
    if (constraint === "tenants_connection_schema_uq") {
      throw conflict("this schema on this connection already belongs to a tenant", { field: "schema_name" });
    }
    throw error;
  }
}

export function toTenant(row: repo.TenantWithConnection): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    region: row.region,
    connection_id: row.connectionId,
    connection_name: row.connectionName,
    schema_name: row.schemaName,
    status: row.status,
    metadata: row.metadata,
    created_by: row.createdBy,
    updated_by: row.updatedBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
