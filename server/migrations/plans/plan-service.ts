import { createHash } from "node:crypto";
import { getCatalogOrThrow } from "./catalog-store";
import { discoverTargets, type Discovery } from "./discover-targets";
import { planMigrations } from "../engine/plan";
import { planWithProviders, providersOffer } from "../engine/plan-with-providers";
import type { Plan, TargetPlan } from "../engine/plan-types";
import type { Catalog, HistoryRow, Target } from "../engine/types";
import { recordHistories } from "./fleet-state";
import { readFleetHistories, type UnreachableDatabase } from "./read-histories";
import type { ScopeInput } from "./scope";

/**
 * A plan for a scope of the real fleet: discover the targets, read every history in bulk through
 * the fleet pools, and hand both to the engine's pure planner (with the fleet's other non-tenant
 * targets as providers, so a tenant-only scope sees its region's shared target). With
 * `include_providers` the providers its targets wait for become targets too.
 */

export interface FleetPlan {
  scope: ScopeInput;
  catalog: Catalog;
  /** With include_providers, the targets include the providers added (see `includedProviders`). */
  discovery: Discovery;
  plan: Plan;
  /** Providers the scope took in for its targets (include_providers), in tier order. */
  includedProviders: Target[];
  /**
   * Without include_providers: the providers outside the scope its blocked targets wait for, and
   * how many of those targets would then run; null when there are none.
   */
  providersOffer: { added: Target[]; unblocks: number } | null;
  /** Every target's and provider's history rows, by targetKey. */
  histories: Map<string, HistoryRow[]>;
  /** Databases whose histories could not be read, by connection id. */
  unreachable: Map<string, UnreachableDatabase>;
  /**
   * The engine's fingerprint, extended by the unreachable databases: a database coming back (or
   * going away) changes what an execution would do, so it changes the fingerprint too.
   */
  fingerprint: string;
  generatedAt: Date;
}

export async function buildFleetPlan(scope: ScopeInput): Promise<FleetPlan> {
  const catalog = await getCatalogOrThrow();
  return planDiscovered(scope, catalog, await discoverTargets(scope));
}

/** Plans targets already discovered (a tenant's page builds its own discovery). */
export async function planDiscovered(scope: ScopeInput, catalog: Catalog, discovery: Discovery): Promise<FleetPlan> {
  const read = [...discovery.targets, ...discovery.providers];
  const readAt = new Date();
  const { histories, unreachable } = await readFleetHistories(read, discovery.connections);
  // Every history read refreshes the fleet state the lists show (one bulk upsert, skipped rows unchanged).
  await recordHistories(catalog, read, histories, unreachable, readAt);
  const input = { catalog, targets: discovery.targets, providers: discovery.providers, histories };
  let plan: Plan;
  let includedProviders: Target[] = [];
  if (scope.include_providers) {
    ({ plan, added: includedProviders } = planWithProviders(input));
    const added = new Set(includedProviders);
    discovery = {
      ...discovery,
      targets: [...includedProviders, ...discovery.targets],
      providers: discovery.providers.filter((p) => !added.has(p)),
    };
  } else {
    plan = planMigrations(input);
  }
  return {
    scope,
    catalog,
    discovery,
    plan,
    includedProviders,
    providersOffer: scope.include_providers ? null : providersOffer(input, plan),
    histories,
    unreachable,
    fingerprint: fleetFingerprint(plan, unreachable),
    generatedAt: new Date(),
  };
}

export function fleetFingerprint(plan: Plan, unreachable: ReadonlyMap<string, unknown>): string {
  if (unreachable.size === 0) return plan.fingerprint;
  const ids = [...unreachable.keys()].sort().join(",");
  return createHash("sha256").update(`${plan.fingerprint}\0unreachable\0${ids}`).digest("hex");
}

export type FleetTargetStatus = TargetPlan["status"] | "unreachable";

/** A target's status as the console shows it: the engine's, unless its database could not be read. */
export function targetStatus(fleet: Pick<FleetPlan, "unreachable">, tp: TargetPlan): FleetTargetStatus {
  return fleet.unreachable.has(tp.target.connectionId) ? "unreachable" : tp.status;
}
