import { countsAsApplied } from "../../domain/history";
import { versionKey } from "../../domain/versions";
import { findStates, toMigrationState } from "../../fleet-state/service";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { catalogTiers } from "../plans/fleet-state";
import { discoverTenant } from "../plans/discover-targets";
import { createExecution } from "./create-execution";
import { rollbackToVersion } from "./rollback-execution";
import type { ExecutionRow } from "./repository";
import { planDiscovered } from "../plans/plan-service";
import type { TenantMigrationsView } from "../plans/plan-schemas";
import { planTargetView, pendingView, providersNeededView } from "../plans/plan-view";

/**
 * One tenant's migrations (its page in the console): what its history table says was applied,
 * what is pending, drift, and what blocks it; and migrating just that tenant, which is an ordinary
 * execution of scope `single` with the tenant's database and id.
 */

export async function tenantMigrations(tenantId: string): Promise<TenantMigrationsView> {
  const catalog = await getCatalogOrThrow();
  const { discovery, tenant, connection } = await discoverTenant(tenantId);
  const fleet = await planDiscovered({ scope: "single", database_id: connection.id, tenant_id: tenant.id }, catalog, discovery);
  const tp = fleet.plan.targets[0]!;
  // The plan above has just recorded the tenant's state; the last run and its error come with it.
  const [state] = await findStates([{ connectionId: connection.id, schemaName: tenant.schemaName }]);
  const byVersion = new Map(catalog.byTier.tenant.map((m) => [versionKey(m.version), m]));
  return {
    tenant: {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      region: tenant.region,
      database_id: connection.id,
      connection_name: connection.name,
      schema_name: tenant.schemaName,
    },
    fingerprint: fleet.fingerprint,
    catalog_checksum: catalog.checksum,
    target: planTargetView(fleet, tp),
    providers_needed: providersNeededView(fleet),
    applied: (fleet.histories.get(tp.key) ?? []).map((r) => {
      const m = byVersion.get(versionKey(r.version));
      return {
        id: m?.id ?? null,
        version: r.version,
        name: r.name,
        checksum: r.checksum,
        state: r.state,
        applied_at: new Date(r.appliedAtMs).toISOString(),
        execution_id: r.executionId,
        duration_ms: r.durationMs,
        applied_by: r.appliedBy,
        drift: !!m && countsAsApplied(r.state) && m.checksum !== r.checksum,
      };
    }),
    pending: tp.pending.map(pendingView),
    migration_state: state ? toMigrationState(state, catalogTiers(catalog).tenant) : null,
  };
}

export async function migrateTenant(
  tenantId: string,
  input: { dryRun: boolean; planFingerprint?: string; executedBy: string },
): Promise<ExecutionRow> {
  const { tenant, connection } = await discoverTenant(tenantId);
  const execution = await createExecution({
    scope: { scope: "single", database_id: connection.id, tenant_id: tenant.id },
    dryRun: input.dryRun,
    planFingerprint: input.planFingerprint,
    executedBy: input.executedBy,
    metadata: { tenant_id: tenant.id, tenant_slug: tenant.slug },
  });
  return execution!;
}

/** One tenant back to a version: a rollback to a version of the tenant's target (same rules, active tenants only). */
export async function rollbackTenant(
  tenantId: string,
  input: { toVersion: string; dryRun: boolean; executedBy: string },
): Promise<ExecutionRow> {
  const { tenant, connection } = await discoverTenant(tenantId);
  return rollbackToVersion(
    { database_id: connection.id, tenant_id: tenant.id, to_version: input.toVersion },
    { dryRun: input.dryRun, executedBy: input.executedBy },
  );
}
