import type { Principal } from "../../auth/principal";
import { actorName } from "../../auth/principal";
import type { BaselineOnRegister, BaselineReport } from "../../contracts/baseline";
import { resolveConnectionOrThrow } from "../../databases/service";
import { hasPermission } from "../../domain/permissions";
import { AppError } from "../../errors/app-error";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { registerDiscovered } from "../../tenants/discovery";
import type { DiscoverRegister, Tenant, TenantCreate } from "../../tenants/schemas";
import { createTenant, hostingConnectionOrThrow } from "../../tenants/service";
import type { Target } from "../engine/types";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { baselineTargets, checkBaseline, refuseUnlessReady } from "./baseline-service";

/**
 * Baseline on register: tenants registered on schemas that already hold their tables (a fleet
 * adopted by the console) can be marked as migrated up to a version in the same call. The schemas
 * are checked before anything is registered, so a refusal (objects missing, a bad selection) leaves
 * the registry as it was; the marking happens once the tenants exist, under each target's lock.
 */

export async function createTenantWithBaseline(input: TenantCreate, principal: Principal): Promise<Tenant & { baseline?: BaselineReport }> {
  const actor = actorName(principal);
  if (!input.baseline) return createTenant(input, actor);
  const baseline = input.baseline;
  const prepared = await prepare(principal, input.connection_id, [input.schema_name], baseline);
  await prepared.check();
  const tenant = await createTenant(input, actor);
  return { ...tenant, baseline: await prepared.mark([tenant]) };
}

export async function registerDiscoveredWithBaseline(
  input: DiscoverRegister,
  principal: Principal,
): Promise<{ items: Tenant[]; baseline?: BaselineReport }> {
  const actor = actorName(principal);
  if (!input.baseline) return registerDiscovered(input, actor);
  const prepared = await prepare(
    principal,
    input.connection_id,
    input.tenants.map((t) => t.schema_name),
    input.baseline,
  );
  await prepared.check();
  const { items } = await registerDiscovered(input, actor);
  return { items, baseline: await prepared.mark(items) };
}

/** The permission, the selection and the hosting database, checked before any work. */
async function prepare(principal: Principal, connectionId: string, schemas: string[], baseline: BaselineOnRegister) {
  if (!hasPermission(principal.permissions, "migrations:manage")) {
    throw new AppError("forbidden", "missing permission: migrations:manage (needed to baseline what is registered)", {
      required_permission: "migrations:manage",
    });
  }
  const connection = await resolveConnectionOrThrow((await hostingConnectionOrThrow(connectionId)).id);
  const catalog = await getCatalogOrThrow();
  const common = {
    catalog,
    connections: new Map<string, ResolvedConnection>([[connection.id, connection]]),
    selection: baseline,
    confirmMissing: baseline.confirm_missing,
    appliedBy: actorName(principal),
    fieldPrefix: "baseline.",
  };
  return {
    /** Throws 422/409 when the schemas are not ready to be baselined; writes nothing. */
    check: async () => {
      const input = { ...common, targets: schemas.map((s) => targetOn(connection, s, null)), dryRun: false };
      refuseUnlessReady(input, await checkBaseline(input));
    },
    /** Marks the registered tenants' schemas (checked again, under each target's lock). */
    mark: (tenants: Tenant[]) =>
      baselineTargets({ ...common, targets: tenants.map((t) => targetOn(connection, t.schema_name, t.id)), dryRun: false }),
  };
}

function targetOn(connection: ResolvedConnection, schemaName: string, tenantId: string | null): Target {
  return {
    connectionId: connection.id,
    connectionName: connection.name,
    databaseName: connection.databaseName,
    schemaName,
    tier: "tenant",
    region: connection.region,
    tenantId,
  };
}
