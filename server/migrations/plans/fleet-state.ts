import { TIERS, type Tier } from "../../domain/fleet";
import { getConnectionOrThrow } from "../../databases/service";
import {
  type CatalogTier,
  type CatalogTiers,
  findStates,
  listTenantsWithState as listStoredTenants,
  recordSummaries,
  stateGroups,
  toMigrationState,
} from "../../fleet-state/service";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { toTenant } from "../../tenants/service";
import type { TenantList, TenantListQuery } from "../../tenants/schemas";
import { summarizeTarget } from "../engine/target-summary";
import { targetKey, type Catalog, type HistoryRow, type Target } from "../engine/types";
import { getCatalogOrThrow, getCatalogState } from "./catalog-store";
import type { FleetStateGroup, FleetStateQuery, FleetStateView } from "./fleet-state-schemas";
import { readFleetHistories } from "./read-histories";

/**
 * The fleet state store compared with the catalog: the tenant list's version and pending columns
 * and filters, the Overview's figures per tier and region, a database's page. Nothing here plans
 * the fleet or reads a fleet database on a page load; what is stored was read by the last plan, run,
 * baseline or resolve that touched the target (recordHistories below, called by them).
 */

export function catalogTiers(catalog: Catalog): CatalogTiers {
  const entry = (tier: Tier): CatalogTier => {
    const migrations = catalog.byTier[tier];
    return { count: migrations.length, head: migrations.at(-1)?.version ?? null, broken: catalog.brokenTiers.has(tier) };
  };
  return Object.fromEntries(TIERS.map((t) => [t, entry(t)])) as CatalogTiers;
}

/** The catalog's tiers, or null when MIGRATIONS_DIR cannot be read (lists still answer, without pending). */
async function currentTiers(): Promise<CatalogTiers | null> {
  const state = await getCatalogState();
  return state.catalog ? catalogTiers(state.catalog) : null;
}

/**
 * What this process recorded: per history rows array it summarised (the very array, as the history
 * cache hands it out to its one target), the catalog it compared them with. A plan that finds the
 * same rows under the same catalog has nothing new to say about the target, and leaves it out of the
 * upsert (which would have written nothing for it anyway; at 100,000 targets sending them cost
 * seconds). Any change to the history is a new array; a new catalog a new checksum. Weak: an entry
 * goes when the cache lets go of its rows, and no target key is kept for it.
 */
let lastRecorded = new WeakMap<readonly HistoryRow[], string>();

/** Forgets what was recorded (a bench standing for a console just started). */
export function forgetRecordedStates(): void {
  lastRecorded = new WeakMap();
}

/**
 * Records what reads of histories found (a plan's targets and providers, a baseline's or resolve's
 * targets read again). Targets whose database could not be read are left as they were.
 */
export async function recordHistories(
  catalog: Catalog,
  targets: readonly Target[],
  histories: ReadonlyMap<string, readonly HistoryRow[]>,
  unreachable: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  checkedAt: Date,
): Promise<void> {
  const seen = new Set<string>();
  const entries = [];
  const recorded: (readonly HistoryRow[])[] = [];
  for (const target of targets) {
    const key = targetKey(target);
    if (seen.has(key) || unreachable.has(target.connectionId)) continue;
    seen.add(key);
    const rows = histories.get(key) ?? [];
    if (rows.length > 0 && lastRecorded.get(rows) === catalog.checksum) continue;
    entries.push({ target, summary: summarizeTarget(catalog, target, rows) });
    if (rows.length > 0) recorded.push(rows);
  }
  await recordSummaries(entries, checkedAt);
  for (const rows of recorded) lastRecorded.set(rows, catalog.checksum);
}

/** Reads the targets' histories again and records them (after a baseline or a resolve changed them). */
export async function refreshTargetStates(
  catalog: Catalog,
  targets: readonly Target[],
  connections: ReadonlyMap<string, ResolvedConnection>,
): Promise<void> {
  if (targets.length === 0) return;
  const checkedAt = new Date();
  const { histories, unreachable } = await readFleetHistories(targets, connections);
  await recordHistories(catalog, targets, histories, unreachable, checkedAt);
}

/** GET /api/tenants: one page of tenants with their state. A state filter needs the catalog (503 without). */
export async function listTenantsWithState(query: TenantListQuery): Promise<TenantList> {
  const comparesWithCatalog = query.state === "at_head" || query.state === "behind" || query.state === "blocked";
  const tiers = comparesWithCatalog ? catalogTiers(await getCatalogOrThrow()) : await currentTiers();
  const tier = tiers?.tenant ?? null;
  const { rows, total } = await listStoredTenants(query, tier);
  return {
    items: rows.map((r) => ({
      ...toTenant({ ...r.tenant, connectionName: r.connectionName }),
      migration_state: r.state ? toMigrationState(r.state, tier) : null,
    })),
    total,
    limit: query.limit,
    offset: query.offset,
  };
}

const ZERO = { targets: 0, at_head: 0, behind: 0, unknown: 0, blocked: 0, failed: 0, pending_migrations: 0 };

/** GET /api/migrations/fleet-state: the fleet (or one database) per tier and region. */
export async function fleetState(query: FleetStateQuery): Promise<FleetStateView> {
  const connection = query.connection_id ? await getConnectionOrThrow(query.connection_id) : null;
  const tiers = await currentTiers();
  const groups: FleetStateGroup[] = tiers
    ? await stateGroups(tiers, { connectionId: connection?.id })
    : (await stateGroups(null, { connectionId: connection?.id })).map((g) => ({
        ...g,
        at_head: 0,
        behind: 0,
        blocked: 0,
        unknown: g.targets,
        pending_migrations: 0,
      }));
  const totals = { ...ZERO };
  for (const g of groups) for (const k of Object.keys(ZERO) as (keyof typeof ZERO)[]) totals[k] += g[k];

  let database: FleetStateView["database"] = null;
  if (connection) {
    const own = connection.connection_type !== "tenant";
    const [row] = own ? await findStates([{ connectionId: connection.id, schemaName: connection.schema_name }]) : [];
    database = {
      connection_id: connection.id,
      connection_name: connection.name,
      tier: connection.connection_type,
      schema_name: own ? connection.schema_name : null,
      migration_state: row ? toMigrationState(row, tiers?.[connection.connection_type] ?? null) : null,
    };
  }
  return {
    catalog: {
      available: tiers !== null,
      tiers: tiers ? TIERS.map((t) => ({ tier: t, migrations: tiers[t].count, head: tiers[t].head, broken: tiers[t].broken })) : [],
    },
    groups,
    totals,
    database,
  };
}
