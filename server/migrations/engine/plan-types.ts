import type { InterruptedState } from "../../domain/history";
import type { Catalog, HistoryRow, PlanWarning, Target, Tier } from "./types";

export interface PlanInput {
  catalog: Catalog;
  /** The targets to plan, e.g. one scope's active targets from the registry. */
  targets: readonly Target[];
  /** Each target's history rows by targetKey(); a missing entry means no history table yet. */
  histories: ReadonlyMap<string, readonly HistoryRow[]>;
  /**
   * Targets outside the scope that provide cross-target requirements (the region's shared target
   * when planning only tenants). Their histories go in `histories` too; they get no plan entry.
   */
  providers?: readonly Target[];
}

/** A migration waiting to run on a target. One object per migration, shared by every target. */
export interface PendingMigration {
  id: string;
  tier: Tier;
  version: string;
  name: string;
  file: string;
  checksum: string;
  transactional: boolean;
  /** The file's timeout in ms, or null for MIGRATION_TIMEOUT. */
  timeoutMs: number | null;
  requires: string[];
  hasDown: boolean;
  warnings: PlanWarning[];
}

/** An applied migration whose file has changed since: blocks the target until accepted. */
export interface DriftFinding {
  id: string;
  version: string;
  file: string;
  appliedChecksum: string;
  fileChecksum: string;
  appliedAt: Date;
}

/** A version in the target's history that no file of the catalog has. */
export interface UnknownApplied {
  version: string;
  name: string;
  checksum: string;
  appliedAt: Date;
}

/** A migration an operator marked as applied without running it (history state `baselined`). */
export interface BaselinedMigration {
  version: string;
  name: string;
  /** The catalog id, or null when no file has this version any more. */
  id: string | null;
}

/** A pending migration older than the newest one already applied on the target. */
export interface OutOfOrderFinding {
  id: string;
  version: string;
  newestApplied: string;
}

/** A `transaction: false` migration that started and never finished: an operator must look. */
export interface InterruptedFinding {
  version: string;
  name: string;
  state: InterruptedState;
  startedAt: Date;
}

export interface TargetRef {
  key: string;
  connectionId: string;
  connectionName: string;
  databaseName: string;
  schemaName: string;
  tier: Tier;
  region: string | null;
}

/** A pending migration's requirement on another target (a tenant's region's shared target…). */
export interface CrossTargetRequirement {
  migrationId: string;
  requires: string;
  /** The target that has to apply `requires`, or null when none is known for the region. */
  provider: TargetRef | null;
  /** True when the provider is in this plan, not blocked, and has `requires` pending. */
  willApplyInPlan: boolean;
  /**
   * False when applying `requires` on the provider would not help this target: a tenant with a
   * database of its own cannot see its region's shared objects. True otherwise.
   */
  providerHelps: boolean;
}

export type TargetPlanStatus = "up_to_date" | "pending" | "blocked";

export interface TargetPlan {
  key: string;
  target: Target;
  status: TargetPlanStatus;
  /** Why the target cannot be executed as it stands (drift, interrupted migration, missing provider). */
  blockedReasons: string[];
  pending: PendingMigration[];
  /** History rows that count as applied: run by the console or baselined. */
  appliedCount: number;
  /** The applied rows an operator baselined (a subset of appliedCount). */
  baselined: BaselinedMigration[];
  drift: DriftFinding[];
  missingFromCatalog: UnknownApplied[];
  outOfOrder: OutOfOrderFinding[];
  interrupted: InterruptedFinding[];
  /** Only the requirements not yet applied on their provider. */
  crossTarget: CrossTargetRequirement[];
  warnings: PlanWarning[];
}

export interface PlanTotals {
  targets: number;
  upToDate: number;
  withPending: number;
  blocked: number;
  pendingMigrations: number;
  drift: number;
  missingFromCatalog: number;
  outOfOrder: number;
  interrupted: number;
  baselined: number;
  crossTarget: number;
  warnings: number;
}

export interface Plan {
  /** sha256 over the catalog and, per target, its identity, status and pending migrations. */
  fingerprint: string;
  catalogChecksum: string;
  targets: TargetPlan[];
  totals: PlanTotals;
  /** Every distinct lint finding of the pending migrations, in catalog order. */
  warnings: PlanWarning[];
}
