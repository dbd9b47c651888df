import { createHash } from "node:crypto";
import type {
  CrossTargetRequirement,
  PendingMigration,
  Plan,
  PlanInput,
  PlanTotals,
  TargetPlan,
  TargetRef,
} from "./plan-types";
import { countsAsApplied, isInterrupted } from "../../domain/history";
import { targetKey, type Catalog, type HistoryRow, type Migration, type Target, type Tier } from "./types";
import { compareVersions, versionKey, VersionSet } from "../../domain/versions";

/**
 * The planner: a pure function from (catalog, targets, histories) to a plan. No I/O, no clock, so
 * the same inputs always give the same plan and the same fingerprint.
 *
 * Work is linear in targets × migrations of their tier; per-migration objects (PendingMigration and
 * its warnings) are built once and shared by every target, which keeps a 10,000-tenant plan small.
 */
export function planMigrations(input: PlanInput): Plan {
  const { catalog } = input;
  const pendingById = new Map<string, PendingMigration>(catalog.migrations.map((m) => [m.id, toPending(m)]));
  const versionsByTier = new Map<Tier, Map<string, Migration>>();
  for (const [tier, list] of Object.entries(catalog.byTier) as [Tier, readonly Migration[]][]) {
    versionsByTier.set(tier, new Map(list.map((m) => [versionKey(m.version), m])));
  }

  // Pass 1: each target on its own (pending, drift, history findings).
  const plans = input.targets.map((target) => {
    const history = input.histories.get(targetKey(target)) ?? [];
    const settled = settledPlanOf(history, target, catalog);
    if (settled) return settled;
    const plan = planTarget(target, history, catalog, versionsByTier.get(target.tier)!, pendingById);
    rememberIfSettled(plan, history, catalog);
    return plan;
  });

  // Pass 2: requirements on other targets, which need every target's pass-1 result.
  const planned = new Map(plans.map((p) => [p.key, p]));
  const providers = indexProviders([...input.targets, ...(input.providers ?? [])]);
  const appliedCache = new Map<string, VersionSet>();
  const appliedOn = (provider: Target) => {
    const key = targetKey(provider);
    let set = appliedCache.get(key);
    if (!set) {
      set = new VersionSet((input.histories.get(key) ?? []).filter((r) => countsAsApplied(r.state)).map((r) => r.version));
      appliedCache.set(key, set);
    }
    return set;
  };
  for (const plan of plans) {
    for (const pending of plan.pending) {
      for (const req of pending.requires) {
        const required = catalog.byId.get(req);
        if (!required || required.tier === plan.target.tier) continue;
        const provider = findProvider(providers, required.tier, plan.target.region);
        if (provider && required.tier === "shared" && plan.target.tier === "tenant" && provider.connectionId !== plan.target.connectionId) {
          // A tenant requires a shared migration for its objects (tables in the shared database's
          // public schema, seen through search_path). A tenant with a database of its own cannot
          // see them, applied or not: it would fail at run time on the missing relation.
          plan.crossTarget.push({ migrationId: pending.id, requires: req, provider: toRef(provider), willApplyInPlan: false, providerHelps: false });
          plan.blockedReasons.push(
            `${pending.id} requires ${req}, which is applied in ${provider.connectionName}'s database (${provider.databaseName}), not in this tenant's own database ${plan.target.databaseName}: its objects are not visible here. Move the tenant into its region's shared database, or provide the objects another way and drop the requirement`,
          );
          continue;
        }
        if (provider && appliedOn(provider).has(required.version)) continue;
        const providerPlan = provider ? planned.get(targetKey(provider)) : undefined;
        const willApplyInPlan =
          !!providerPlan && providerPlan.blockedReasons.length === 0 && providerPlan.pending.some((p) => p.id === req);
        const requirement: CrossTargetRequirement = {
          migrationId: pending.id,
          requires: req,
          provider: provider ? toRef(provider) : null,
          willApplyInPlan,
          providerHelps: true,
        };
        plan.crossTarget.push(requirement);
        if (!provider) {
          plan.blockedReasons.push(
            `${pending.id} requires ${req}, but no ${required.tier} target is known for region ${plan.target.region ?? "(none)"}`,
          );
        } else if (!willApplyInPlan) {
          plan.blockedReasons.push(
            `${pending.id} requires ${req}, which is not applied on ${provider.connectionName}/${provider.schemaName} and is not part of this plan`,
          );
        }
      }
    }
    plan.status = plan.blockedReasons.length > 0 ? "blocked" : plan.pending.length > 0 ? "pending" : "up_to_date";
  }

  return {
    fingerprint: fingerprint(catalog, plans),
    catalogChecksum: catalog.checksum,
    targets: plans,
    totals: totals(plans),
    warnings: distinctWarnings(catalog, plans),
  };
}

/**
 * Pass-1 results of targets with nothing to do and nothing to say (up to date, no drift, nothing
 * interrupted or unknown), by the history rows they came from. The console hands a target the same
 * rows array for as long as its history table did not change (plans/history-cache.ts), so a fleet
 * plan where most targets are at head plans each of them once per catalog instead of on every
 * check. Such a plan is never changed by pass 2 (it has no pending migration), so sharing it
 * between plans is safe; a different target (renamed database, moved region) or catalog plans anew.
 */
const settledPlans = new WeakMap<readonly HistoryRow[], { catalog: string; plan: TargetPlan }>();

function settledPlanOf(history: readonly HistoryRow[], target: Target, catalog: Catalog): TargetPlan | null {
  if (history.length === 0) return null;
  const known = settledPlans.get(history);
  if (!known || known.catalog !== catalog.checksum) return null;
  const t = known.plan.target;
  const same =
    t.connectionId === target.connectionId &&
    t.schemaName === target.schemaName &&
    t.connectionName === target.connectionName &&
    t.databaseName === target.databaseName &&
    t.tier === target.tier &&
    t.region === target.region &&
    (t.tenantId ?? null) === (target.tenantId ?? null);
  return same ? known.plan : null;
}

function rememberIfSettled(plan: TargetPlan, history: readonly HistoryRow[], catalog: Catalog) {
  const settled =
    history.length > 0 &&
    plan.pending.length === 0 &&
    plan.blockedReasons.length === 0 &&
    plan.drift.length === 0 &&
    plan.interrupted.length === 0 &&
    plan.missingFromCatalog.length === 0 &&
    plan.outOfOrder.length === 0 &&
    plan.warnings.length === 0;
  if (settled) {
    plan.status = "up_to_date";
    // Kept for as long as the rows are: its empty lists become one shared, frozen list (a fleet of
    // 100,000 settled targets would otherwise keep 800,000 empty arrays).
    plan.blockedReasons = plan.pending = plan.drift = plan.missingFromCatalog = NONE;
    plan.outOfOrder = plan.interrupted = plan.crossTarget = plan.warnings = NONE;
    if (plan.baselined.length === 0) plan.baselined = NONE;
    settledPlans.set(history, { catalog: catalog.checksum, plan });
  }
}

/** The lists of a settled plan: empty, and frozen so that nothing can add to a list they share. */
const NONE: never[] = Object.freeze([]) as readonly never[] as never[];

function planTarget(
  target: Target,
  history: readonly HistoryRow[],
  catalog: Catalog,
  byVersion: ReadonlyMap<string, Migration>,
  pendingById: ReadonlyMap<string, PendingMigration>,
): TargetPlan {
  const plan: TargetPlan = {
    key: targetKey(target),
    target,
    status: "up_to_date",
    blockedReasons: [],
    pending: [],
    appliedCount: 0,
    baselined: [],
    drift: [],
    missingFromCatalog: [],
    outOfOrder: [],
    interrupted: [],
    crossTarget: [],
    warnings: [],
  };
  const recorded = new VersionSet();
  let newestApplied = "";
  for (const row of history) {
    recorded.add(row.version);
    const migration = byVersion.get(versionKey(row.version));
    if (isInterrupted(row.state)) {
      plan.interrupted.push({ version: row.version, name: row.name, state: row.state, startedAt: new Date(row.appliedAtMs) });
      plan.blockedReasons.push(
        `${target.tier}/${row.version}_${row.name} ${row.state === "failed" ? "failed part-way" : "was interrupted"} outside a transaction and needs an operator`,
      );
      continue;
    }
    if (!countsAsApplied(row.state)) continue;
    plan.appliedCount++;
    if (row.state === "baselined") plan.baselined.push({ version: row.version, name: row.name, id: migration?.id ?? null });
    if (!newestApplied || compareVersions(row.version, newestApplied) > 0) newestApplied = row.version;
    if (!migration) {
      plan.missingFromCatalog.push({ version: row.version, name: row.name, checksum: row.checksum, appliedAt: new Date(row.appliedAtMs) });
    } else if (migration.checksum !== row.checksum) {
      plan.drift.push({
        id: migration.id,
        version: row.version,
        file: migration.file,
        appliedChecksum: row.checksum,
        fileChecksum: migration.checksum,
        appliedAt: new Date(row.appliedAtMs),
      });
      plan.blockedReasons.push(`${migration.file} changed after it was applied (drift)`);
    }
  }
  // A tier with a file that does not load is not planned: what is pending cannot be known.
  if (catalog.brokenTiers.has(target.tier)) {
    for (const p of catalog.problems) {
      if (p.tiers.includes(target.tier)) plan.blockedReasons.push(`the catalog's ${target.tier} tier has a problem: ${p.message}`);
    }
    return plan;
  }
  for (const migration of catalog.byTier[target.tier]) {
    if (recorded.has(migration.version)) continue;
    const pending = pendingById.get(migration.id)!;
    plan.pending.push(pending);
    if (newestApplied && compareVersions(migration.version, newestApplied) < 0) {
      plan.outOfOrder.push({ id: migration.id, version: migration.version, newestApplied });
    }
    if (pending.warnings.length > 0) plan.warnings.push(...pending.warnings);
  }
  return plan;
}

function toPending(m: Migration): PendingMigration {
  return {
    id: m.id,
    tier: m.tier,
    version: m.version,
    name: m.name,
    file: m.file,
    checksum: m.checksum,
    transactional: m.transactional,
    timeoutMs: m.timeoutMs,
    requires: m.requires,
    hasDown: m.down !== null,
    warnings: m.warnings,
  };
}

/** Admin requirements go to the one admin target; other tiers to that tier's target in the region. */
function indexProviders(targets: readonly Target[]): Map<string, Target> {
  const index = new Map<string, Target>();
  for (const t of targets) {
    const key = t.tier === "admin" ? "admin" : `${t.tier}|${t.region ?? ""}`;
    if (!index.has(key)) index.set(key, t);
  }
  return index;
}

function findProvider(index: ReadonlyMap<string, Target>, tier: Tier, region: string | null): Target | undefined {
  return index.get(tier === "admin" ? "admin" : `${tier}|${region ?? ""}`);
}

function toRef(t: Target): TargetRef {
  return {
    key: targetKey(t),
    connectionId: t.connectionId,
    connectionName: t.connectionName,
    databaseName: t.databaseName,
    schemaName: t.schemaName,
    tier: t.tier,
    region: t.region,
  };
}

/**
 * Independent of target order, so the same fleet listed differently plans to the same fingerprint:
 * the targets' lines are hashed in the order of their keys. Each line starts with its target's key
 * and a NUL (which no key contains), so that is the order of the sorted lines themselves (a target
 * listed twice is ordered by its whole line); sorting the plans by key needs no line kept in memory
 * (a line is made, hashed and dropped).
 */
function fingerprint(catalog: Catalog, plans: readonly TargetPlan[]): string {
  const byKey = [...plans].sort((a, b) => {
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    const [la, lb] = [fingerprintLine(a), fingerprintLine(b)];
    return la < lb ? -1 : la > lb ? 1 : 0;
  });
  const hash = createHash("sha256").update(`catalog\0${catalog.checksum}\n`);
  for (const p of byKey) hash.update(fingerprintLine(p));
  return hash.digest("hex");
}

function fingerprintLine(p: TargetPlan): string {
  const t = p.target;
  const pending = p.pending.map((m) => m.id).join(",");
  return `${p.key}\0${t.databaseName}\0${t.tier}\0${t.region ?? ""}\0${t.tenantId ?? ""}\0${p.status}\0${pending}\n`;
}

function totals(plans: readonly TargetPlan[]): PlanTotals {
  const t: PlanTotals = {
    targets: plans.length,
    upToDate: 0,
    withPending: 0,
    blocked: 0,
    pendingMigrations: 0,
    drift: 0,
    missingFromCatalog: 0,
    outOfOrder: 0,
    interrupted: 0,
    baselined: 0,
    crossTarget: 0,
    warnings: 0,
  };
  for (const p of plans) {
    if (p.status === "up_to_date") t.upToDate++;
    else if (p.status === "pending") t.withPending++;
    else t.blocked++;
    t.pendingMigrations += p.pending.length;
    t.drift += p.drift.length;
    t.missingFromCatalog += p.missingFromCatalog.length;
    t.outOfOrder += p.outOfOrder.length;
    t.interrupted += p.interrupted.length;
    t.baselined += p.baselined.length;
    t.crossTarget += p.crossTarget.length;
    t.warnings += p.warnings.length;
  }
  return t;
}

function distinctWarnings(catalog: Catalog, plans: readonly TargetPlan[]) {
  const pendingIds = new Set<string>();
  for (const p of plans) for (const m of p.pending) pendingIds.add(m.id);
  return catalog.migrations.filter((m) => pendingIds.has(m.id)).flatMap((m) => m.warnings);
}
