import type pg from "pg";
import { resolveConnectionOrThrow } from "../databases/service";
import { describeConnectionError } from "../fleet/connection-error";
import type { ResolvedConnection } from "../fleet/connection-target";
import { withFleetClient } from "../fleet/fleet-client";
import { AppError, conflict } from "../errors/app-error";
import { forgetTarget } from "../fleet-state/service";
import { firstOf, listSome } from "../errors/list-some";
import { acquireTargetLock, releaseTargetLock } from "../migrations/engine/target-lock";
import { TargetBusyError } from "../migrations/engine/target-errors";
import { activeExecutionsOnTenant } from "../migrations/executions/read-executions";
import { dropSchemaUnlessDependedOn } from "../tenants/fleet-repository";
import { inventorySchema, type SchemaInventory } from "../tenants/schema-inventory";
import type { SchemaDropPreview, SchemaDropResult, Tenant } from "../tenants/schemas";
import { fieldError, getTenantOrThrow } from "../tenants/service";

/**
 * Dropping a tenant's schema: the only way the console removes tenant data, behind
 * infrastructure:admin (the routes check it). Deactivating a tenant never touches its schema; this
 * does, once the operator has seen the preview (every table with its rows, the sequences, types
 * and functions) and typed the schema's name.
 *
 * Refused, with nothing dropped, while:
 *  - the confirmation is not the schema's name (422 naming `confirm`);
 *  - the tenant is active (409: suspend or archive it first, so no plan includes it any more);
 *  - an execution still has to run on it (409 naming them: let them end or cancel them);
 *  - a migration holds the schema's lock (409 target_busy);
 *  - something outside the schema depends on it (409 listing it: a cascade would take it along);
 *  - the schema does not exist (409).
 * The checks run again under the target's advisory lock (the engine's own, so no migration runs
 * on the schema meanwhile), and the drop is one transaction. The tenant stays registered, with its
 * status: re-activating and migrating it builds an empty schema again.
 */

/** How long the drop waits for a session still using the tenant's tables before giving up (55P03). */
const LOCK_TIMEOUT_MS = 5_000;

export async function previewSchemaDrop(tenantId: string): Promise<SchemaDropPreview> {
  const { tenant, connection } = await placementOf(tenantId);
  const inventory = await onTarget(connection, tenant, (client) => inventorySchema(client, tenant.schema_name));
  const blockers = [...(await refusals(tenant, inventory)).map((r) => r.message)];
  return {
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status },
    database_id: connection.id,
    connection_name: connection.name,
    database_name: connection.databaseName,
    schema_name: tenant.schema_name,
    exists: inventory.exists,
    relations: inventory.relations,
    sequences: inventory.sequences,
    types: inventory.types,
    functions: inventory.functions,
    outside_dependents: inventory.outside_dependents,
    total_rows: inventory.totalRows,
    total_bytes: inventory.totalBytes,
    blockers,
  };
}

export async function dropTenantSchema(tenantId: string, confirm: string): Promise<SchemaDropResult> {
  const { tenant, connection } = await placementOf(tenantId);
  if (confirm !== tenant.schema_name) {
    throw fieldError("confirm", `confirm must be the tenant's schema name, ${tenant.schema_name}: nothing was dropped`);
  }
  // Cheap refusals first, before any session to the tenant's database.
  const early = await refusals(tenant, null);
  if (early[0]) throw early[0];
  return onTarget(connection, tenant, async (client) => {
    const target = { databaseName: connection.databaseName, schemaName: tenant.schema_name };
    try {
      await acquireTargetLock(client, target, 0);
    } catch (error) {
      if (error instanceof TargetBusyError) {
        throw new AppError("target_busy", `schema ${tenant.schema_name} is being migrated right now: nothing was dropped`, {
          schema_name: tenant.schema_name,
        });
      }
      throw error;
    }
    try {
      // Under the lock: an execution that was about to start on the schema is seen here, or waits.
      const inventory = await inventorySchema(client, tenant.schema_name);
      const refused = await refusals(tenant, inventory);
      if (refused[0]) throw refused[0];
      const outcome = await dropSchemaUnlessDependedOn(client, tenant.schema_name, LOCK_TIMEOUT_MS);
      if (!outcome.dropped) throw dependedOn(tenant, outcome.outsideDependents);
      await forgetTarget({ connectionId: connection.id, schemaName: tenant.schema_name });
      return {
        tenant_id: tenant.id,
        database_id: connection.id,
        connection_name: connection.name,
        schema_name: tenant.schema_name,
        dropped: {
          relations: inventory.relations.length,
          rows: inventory.totalRows,
          sequences: inventory.sequences.length,
          types: inventory.types.length,
          functions: inventory.functions.length,
        },
        dropped_at: new Date().toISOString(),
      };
    } finally {
      await releaseTargetLock(client, target).catch(() => {});
    }
  });
}

async function placementOf(tenantId: string): Promise<{ tenant: Tenant; connection: ResolvedConnection }> {
  const tenant = await getTenantOrThrow(tenantId);
  try {
    return { tenant, connection: await resolveConnectionOrThrow(tenant.connection_id) };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      throw conflict(`tenant ${tenant.slug} lives on a database that was deleted`, { connection_id: tenant.connection_id });
    }
    throw error;
  }
}

/**
 * Why the schema may not be dropped now, most fundamental first; with `inventory` null only what
 * the control plane knows (status, executions).
 */
async function refusals(tenant: Tenant, inventory: SchemaInventory | null): Promise<AppError[]> {
  const out: AppError[] = [];
  if (tenant.status === "active") {
    out.push(
      conflict(`tenant ${tenant.slug} is active: suspend or archive it before dropping its schema`, {
        field: "status",
        status: tenant.status,
      }),
    );
  }
  const active = await activeExecutionsOnTenant({ tenantId: tenant.id, connectionId: tenant.connection_id, schemaName: tenant.schema_name });
  if (active.length > 0) {
    out.push(
      conflict(`execution(s) still to run on ${tenant.schema_name}: ${listSome(active.map((e) => `${e.id} (${e.status})`))}; let them end or cancel them first`, {
        executions: firstOf(active),
      }),
    );
  }
  if (inventory && !inventory.exists) out.push(conflict(`schema ${tenant.schema_name} does not exist: there is nothing to drop`, { schema_name: tenant.schema_name }));
  if (inventory && inventory.outside_dependents.length > 0) out.push(dependedOn(tenant, inventory.outside_dependents));
  return out;
}

function dependedOn(tenant: Tenant, dependents: Array<{ type: string; identity: string }>): AppError {
  return conflict(
    `objects outside ${tenant.schema_name} depend on it and would be dropped with it: ${listSome(dependents.map((d) => `${d.type} ${d.identity}`))}; remove them first`,
    { outside_dependents: firstOf(dependents) },
  );
}

/** A session to the tenant's database; a failure there is said in PostgreSQL's words (422), a lock wait that ran out is a 409. */
async function onTarget<T>(connection: ResolvedConnection, tenant: Tenant, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    return await withFleetClient(connection, work);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const { code, message } = describeConnectionError(error);
    if (code === "55P03") {
      throw conflict(`a session is still using the tables of ${tenant.schema_name} (gave up waiting for its locks): nothing was dropped`, {
        code,
        schema_name: tenant.schema_name,
      });
    }
    throw new AppError("connection_failed", `working on schema ${tenant.schema_name} on ${connection.name} failed: ${message}`, {
      code,
      message,
    });
  }
}
