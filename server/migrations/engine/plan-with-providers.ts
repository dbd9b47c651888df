import { TIERS } from "../../domain/fleet";
import { planMigrations } from "./plan";
import type { Plan, PlanInput } from "./plan-types";
import { targetKey, type Target } from "./types";

/**
 * A scope whose targets wait for migrations on targets outside it (a tenant needing its region's
 * shared currencies, or the admin plans) is blocked as it stands. Extending it with exactly those
 * providers makes it runnable: the providers join the plan, and an execution runs them before the
 * targets that depend on them. Still pure: the providers' histories are already in the input.
 */

export interface ProvidersPlan {
  plan: Plan;
  /** The providers added to the targets, in tier order (admin, shared, analytics). */
  added: Target[];
}

/**
 * Plans `input` with every provider its targets need added as a target, repeatedly: a shared
 * target added for a tenant may itself need the admin target. At most one round per tier.
 */
export function planWithProviders(input: PlanInput): ProvidersPlan {
  let targets = [...input.targets];
  let providers = [...(input.providers ?? [])];
  const added: Target[] = [];
  let plan = planMigrations({ ...input, targets, providers });
  for (let round = 0; round < TIERS.length; round++) {
    const needed = neededProviders(plan, providers);
    if (needed.length === 0) break;
    const keys = new Set(needed.map(targetKey));
    added.push(...needed);
    providers = providers.filter((p) => !keys.has(targetKey(p)));
    // Providers first (a stable sort: the scope's own order stays), as discovery lists targets.
    targets = [...needed, ...targets].sort(byTier);
    plan = planMigrations({ ...input, targets, providers });
  }
  return { plan, added: added.sort(byTier) };
}

/**
 * What extending the plan would bring: the providers to add and how many of the plan's blocked
 * targets would then run. Null when no blocked target waits on a provider outside the plan.
 */
export function providersOffer(input: PlanInput, plan: Plan): { added: Target[]; unblocks: number } | null {
  if (neededProviders(plan, input.providers ?? []).length === 0) return null;
  const extended = planWithProviders(input);
  const statusOf = new Map(extended.plan.targets.map((tp) => [tp.key, tp.status]));
  const unblocks = plan.targets.filter((tp) => tp.status === "blocked" && statusOf.get(tp.key) !== "blocked").length;
  return unblocks > 0 ? { added: extended.added, unblocks } : null;
}

/** Providers outside the plan with a requirement pending that a blocked target of the plan waits for. */
function neededProviders(plan: Plan, providers: readonly Target[]): Target[] {
  const outside = new Map(providers.map((p) => [targetKey(p), p]));
  const needed = new Map<string, Target>();
  for (const tp of plan.targets) {
    for (const c of tp.crossTarget) {
      if (c.willApplyInPlan || !c.providerHelps || !c.provider) continue;
      const provider = outside.get(c.provider.key);
      if (provider) needed.set(c.provider.key, provider);
    }
  }
  return [...needed.values()];
}

const TIER_ORDER = new Map(TIERS.map((t, i) => [t, i]));
const byTier = (a: Target, b: Target) => TIER_ORDER.get(a.tier)! - TIER_ORDER.get(b.tier)!;
