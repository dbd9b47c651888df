import { createHash } from "node:crypto";
import { getCatalogOrThrow } from "./catalog-store";
import { discoverTargets, type Discovery } from "./discover-targets";
import { planMigrations } from "../engine/plan";
import type { Plan, TargetPlan } from "../engine/plan-types";
import type { Catalog, HistoryRow } from "../engine/types";
import { readFleetHistories, type UnreachableDatabase } from "./read-histories";
import type { ScopeInput } from "./scope";

/**
 * A plan for a scope of the real fleet: discover the targets, read every history in bulk through
 * the fleet pools, and hand both to the engine's pure planner (with the fleet's other non-tenant
 * targets as providers, so a tenant-only scope sees its region's shared target).
 */

export interface FleetPlan {
  scope: ScopeInput;
  catalog: Catalog;
  discovery: Discovery;
  plan: Plan;
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
  const { histories, unreachable } = await readFleetHistories(
    [...discovery.targets, ...discovery.providers],
    discovery.connections,
  );
  const plan = planMigrations({ catalog, targets: discovery.targets, providers: discovery.providers, histories });
  return {
    scope,
    catalog,
    discovery,
    plan,
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
