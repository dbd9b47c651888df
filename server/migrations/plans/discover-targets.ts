import { TENANT_STATUSES, TIERS } from "../../domain/fleet";
import { listFleetConnections, resolveConnectionOrThrow } from "../../databases/service";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { AppError, conflict } from "../../errors/app-error";
import { firstOf, listSome } from "../../errors/list-some";
import { listTenantsForPlan, type TenantRecord } from "../../tenants/service";
import { targetKey, type Target } from "../engine/types";
import type { ScopeInput } from "./scope";

/**
 * Target discovery: which (database, schema) pairs a scope covers, from the registry. Only live,
 * active connections and active tenants take part; asking explicitly for something unknown is a
 * 404, for something inactive a 409, each naming what was asked for.
 *
 * Besides the scope's targets it returns the fleet's other non-tenant targets as `providers`: a
 * tenant migration that requires a shared one is satisfied by its region's shared target even when
 * the scope holds only tenants, so the planner needs to see it (and its history).
 */

export interface Discovery {
  targets: Target[];
  providers: Target[];
  /** Every connection a target or provider lives on, by id (passwords hidden from serialisation). */
  connections: Map<string, ResolvedConnection>;
  /** Slugs of the tenants among the targets, by tenant id. */
  tenantSlugs: Map<string, string>;
}

const ALL_STATUSES = [...TENANT_STATUSES];

export async function discoverTargets(input: ScopeInput): Promise<Discovery> {
  const active = await listFleetConnections({ activeOnly: true });
  const byId = new Map(active.map((c) => [c.id, c]));
  /** The fleet's own targets (admin, shared, analytics): in scope for `all`, providers otherwise. */
  const ownTargets = active.filter(hasOwnTarget).map(ownTarget);
  const slugs = new Map<string, string>();
  const tenantTarget = (t: TenantRecord, c: ResolvedConnection): Target => {
    slugs.set(t.id, t.slug);
    return tenantTargetOf(t, c);
  };
  /** Active tenants on active connections (a tenant on a deactivated database is out of every plan). */
  const hosted = (tenants: readonly TenantRecord[]) => {
    const out: Target[] = [];
    for (const t of tenants) {
      const c = byId.get(t.connectionId);
      if (c && t.status === "active") out.push(tenantTarget(t, c));
    }
    return out;
  };

  let targets: Target[];
  // The whole fleet's tenants come sorted and unique from the memo below; other scopes are sorted here.
  let sorted = false;
  let tenantSlugs = slugs;
  switch (input.scope) {
    case "all": {
      const fleet = await fleetTenantTargets(active);
      const own = dedupe(ownTargets).sort(byTierThenName);
      const ownSchemas = schemasByConnection(own);
      // Every other tier sorts before `tenant`: own targets first keeps the order.
      targets = [...own, ...fleet.targets.filter((t) => !ownSchemas.get(t.connectionId)?.has(t.schemaName))];
      tenantSlugs = fleet.slugs;
      sorted = true;
      break;
    }
    case "admin": {
      const admin = active.find((c) => c.connectionType === "admin");
      if (!admin) throw new AppError("not_found", "no active admin database is registered", { resource: "admin database" });
      targets = [ownTarget(admin)];
      break;
    }
    case "regional": {
      const region = input.region!;
      const [connections, tenants] = await Promise.all([
        listFleetConnections({ region }),
        listTenantsForPlan({ region, statuses: ALL_STATUSES }),
      ]);
      if (connections.length === 0 && tenants.length === 0) {
        throw new AppError("not_found", `region ${region} is unknown: no registered database or tenant is in it`, {
          resource: "region",
          id: region,
        });
      }
      const own = connections.filter((c) => c.isActive && (c.connectionType === "shared" || c.connectionType === "analytics"));
      targets = [...own.map(ownTarget), ...hosted(tenants)];
      break;
    }
    case "tenant":
      if (input.tenant_ids) {
        targets = await chosenTenants(input.tenant_ids, byId, tenantTarget);
      } else {
        const fleet = await fleetTenantTargets(active);
        targets = fleet.targets.slice();
        tenantSlugs = fleet.slugs;
        sorted = true;
      }
      break;
    case "single":
      targets = await singleDatabase(input, byId, tenantTarget);
      break;
  }

  if (!sorted) targets = dedupe(targets).sort(byTierThenName);
  const inScope = schemasByConnection(targets);
  const providers = ownTargets.filter((t) => !inScope.get(t.connectionId)?.has(t.schemaName));
  const connections = new Map<string, ResolvedConnection>();
  for (const list of [targets, providers]) {
    for (const t of list) {
      if (connections.has(t.connectionId)) continue;
      const c = byId.get(t.connectionId);
      if (c) connections.set(c.id, c);
    }
  }
  return { targets, providers, connections, tenantSlugs };
}

/** Schema names by connection id: membership without building a key string per target. */
function schemasByConnection(targets: readonly Target[]): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const t of targets) {
    let schemas = by.get(t.connectionId);
    if (!schemas) by.set(t.connectionId, (schemas = new Set()));
    schemas.add(t.schemaName);
  }
  return by;
}

interface FleetTenantTargets {
  targets: readonly Target[];
  slugs: Map<string, string>;
}

/**
 * The targets of every active tenant on an active connection, sorted, with their slugs: made once
 * per tenant list (the registry's list is kept while no tenant changed, see listTenantsForPlan) and
 * per set of active connections as targets show them (id, name, database). A plan of 100,000
 * tenants where nothing changed then spends no time building, deduplicating and sorting 100,000
 * targets. The targets are shared between plans, which only read them.
 */
let fleetMemo: { list: readonly TenantRecord[]; connections: string; value: FleetTenantTargets } | null = null;

async function fleetTenantTargets(active: readonly ResolvedConnection[]): Promise<FleetTenantTargets> {
  const list = await listTenantsForPlan();
  const connections = JSON.stringify(active.map((c) => [c.id, c.name, c.databaseName]));
  if (fleetMemo && fleetMemo.list === list && fleetMemo.connections === connections) return fleetMemo.value;
  const byId = new Map(active.map((c) => [c.id, c]));
  const slugs = new Map<string, string>();
  const targets: Target[] = [];
  for (const t of list) {
    const c = byId.get(t.connectionId);
    if (!c || t.status !== "active") continue;
    slugs.set(t.id, t.slug);
    targets.push(tenantTargetOf(t, c));
  }
  const value = { targets: dedupe(targets).sort(byTierThenName), slugs };
  fleetMemo = { list, connections, value };
  return value;
}

/**
 * One tenant's target whatever its status (its page shows a suspended tenant's migrations too),
 * with the fleet's providers.
 */
export async function discoverTenant(tenantId: string): Promise<{ discovery: Discovery; tenant: TenantRecord; connection: ResolvedConnection }> {
  const [tenant] = await listTenantsForPlan({ ids: [tenantId], statuses: ALL_STATUSES });
  if (!tenant) throw new AppError("not_found", `tenant ${tenantId} not found`, { resource: "tenant", id: tenantId });
  let connection: ResolvedConnection;
  try {
    connection = await resolveConnectionOrThrow(tenant.connectionId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      throw conflict(`tenant ${tenant.slug} lives on a database that was deleted`, { connection_id: tenant.connectionId });
    }
    throw error;
  }
  const active = await listFleetConnections({ activeOnly: true });
  const target: Target = {
    connectionId: connection.id,
    connectionName: connection.name,
    databaseName: connection.databaseName,
    schemaName: tenant.schemaName,
    tier: "tenant",
    region: tenant.region,
    tenantId: tenant.id,
  };
  const providers = active.filter(hasOwnTarget).map(ownTarget);
  const connections = new Map<string, ResolvedConnection>([[connection.id, connection]]);
  for (const c of active.filter(hasOwnTarget)) connections.set(c.id, c);
  return {
    tenant,
    connection,
    discovery: { targets: [target], providers, connections, tenantSlugs: new Map([[tenant.id, tenant.slug]]) },
  };
}

function tenantTargetOf(t: TenantRecord, c: ResolvedConnection): Target {
  return {
    connectionId: c.id,
    connectionName: c.name,
    databaseName: c.databaseName,
    schemaName: t.schemaName,
    tier: "tenant",
    region: t.region,
    tenantId: t.id,
  };
}

/** Dedicated tenant databases hold only tenant schemas; every other tier has a target of its own. */
const hasOwnTarget = (c: ResolvedConnection) => c.connectionType !== "tenant";

function ownTarget(c: ResolvedConnection): Target {
  return {
    connectionId: c.id,
    connectionName: c.name,
    databaseName: c.databaseName,
    schemaName: c.schemaName,
    tier: c.connectionType,
    region: c.region,
    tenantId: null,
  };
}

async function chosenTenants(
  ids: string[],
  active: Map<string, ResolvedConnection>,
  toTarget: (t: TenantRecord, c: ResolvedConnection) => Target,
): Promise<Target[]> {
  const wanted = [...new Set(ids)];
  const found = await listTenantsForPlan({ ids: wanted, statuses: ALL_STATUSES });
  const known = new Set(found.map((t) => t.id));
  const unknown = wanted.filter((id) => !known.has(id));
  // A scope may name 10,000 tenants: errors name a few of them and say how many there are.
  if (unknown.length > 0) {
    throw new AppError("not_found", `unknown tenant(s): ${listSome(unknown)}`, {
      resource: "tenant",
      ids: firstOf(unknown),
      count: unknown.length,
    });
  }
  const inactive = found.filter((t) => t.status !== "active");
  if (inactive.length > 0) {
    throw conflict(`tenant(s) not active: ${listSome(inactive.map((t) => `${t.slug} (${t.status})`))}`, {
      field: "tenant_ids",
      tenants: firstOf(inactive).map((t) => ({ id: t.id, slug: t.slug, status: t.status })),
      count: inactive.length,
    });
  }
  const orphaned = found.filter((t) => !active.has(t.connectionId));
  if (orphaned.length > 0) {
    throw conflict(`tenant(s) on a deactivated or deleted database: ${listSome(orphaned.map((t) => t.slug))}`, {
      field: "tenant_ids",
      tenants: firstOf(orphaned).map((t) => ({ id: t.id, slug: t.slug, connection_id: t.connectionId })),
      count: orphaned.length,
    });
  }
  return found.map((t) => toTarget(t, active.get(t.connectionId)!));
}

async function singleDatabase(
  input: ScopeInput,
  active: Map<string, ResolvedConnection>,
  toTarget: (t: TenantRecord, c: ResolvedConnection) => Target,
): Promise<Target[]> {
  const connection = await resolveConnectionOrThrow(input.database_id!);
  if (!active.has(connection.id)) {
    throw conflict(`database ${connection.name} is not active: activate it before migrating it`, {
      field: "database_id",
      database_id: connection.id,
    });
  }
  const tenants = await listTenantsForPlan({ connectionIds: [connection.id], statuses: ALL_STATUSES });

  if (input.tenant_id) {
    const tenant = tenants.find((t) => t.id === input.tenant_id);
    if (!tenant) {
      const [elsewhere] = await listTenantsForPlan({ ids: [input.tenant_id], statuses: ALL_STATUSES });
      if (!elsewhere) throw new AppError("not_found", `tenant ${input.tenant_id} not found`, { resource: "tenant", id: input.tenant_id });
      throw new AppError("validation_error", `tenant ${elsewhere.slug} does not live on database ${connection.name}`, {
        location: "body",
        fields: [{ field: "tenant_id", message: `tenant ${elsewhere.slug} lives on another database`, code: "custom" }],
      });
    }
    return [activeTenantOrThrow(tenant, connection, toTarget)];
  }
  if (input.schema_name) {
    if (input.schema_name === connection.schemaName && hasOwnTarget(connection)) return [ownTarget(connection)];
    const tenant = tenants.find((t) => t.schemaName === input.schema_name);
    if (!tenant) {
      throw new AppError(
        "not_found",
        `schema ${input.schema_name} on database ${connection.name} is neither the database's own schema nor a registered tenant's`,
        { resource: "schema", id: input.schema_name, database_id: connection.id },
      );
    }
    return [activeTenantOrThrow(tenant, connection, toTarget)];
  }
  if (hasOwnTarget(connection)) return [ownTarget(connection)];
  return tenants.filter((t) => t.status === "active").map((t) => toTarget(t, connection));
}

function activeTenantOrThrow(
  tenant: TenantRecord,
  connection: ResolvedConnection,
  toTarget: (t: TenantRecord, c: ResolvedConnection) => Target,
): Target {
  if (tenant.status !== "active") {
    throw conflict(`tenant ${tenant.slug} is ${tenant.status}: only active tenants are migrated`, {
      field: "tenant_id",
      tenant: { id: tenant.id, slug: tenant.slug, status: tenant.status },
    });
  }
  return toTarget(tenant, connection);
}

function dedupe(targets: Target[]): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  for (const t of targets) {
    const key = targetKey(t);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

const TIER_ORDER = new Map(TIERS.map((t, i) => [t, i]));

/** Providers (admin, shared, analytics) before tenants, then by database and schema. */
function byTierThenName(a: Target, b: Target): number {
  return TIER_ORDER.get(a.tier)! - TIER_ORDER.get(b.tier)! || compare(a.connectionName, b.connectionName) || compare(a.schemaName, b.schemaName);
}

// Plain code-unit order: stable across machines and much cheaper than localeCompare on 10,000 names.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
