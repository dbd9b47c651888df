import { buildFleetPlan, type FleetPlan } from "./plan-service";
import type { PlanQuery, PlanView } from "./plan-schemas";
import { saveSnapshotSoon } from "./plan-snapshots";
import { planView } from "./plan-view";
import { reviewPlan, type PlanReview } from "./plan-review";
import type { ScopeInput } from "./scope";

/**
 * Plans kept in this console process after a preview, so that the browser pages through the targets
 * of the plan it shows (GET /api/migrations/dynamic/plan with its `fingerprint`) without the fleet
 * being planned again for every page: at 100,000 targets a plan reads 100,000 history tables, a page
 * of a kept plan is a slice. Only the plan's outcome is kept (the histories it was made from are
 * dropped), the last KEEP plans for KEEP_MS. A plan no longer kept (expired, another console
 * instance, a restart) is simply made again.
 */

const KEEP = 3;
const KEEP_MS = 15 * 60_000;

interface Kept {
  key: string;
  fleet: FleetPlan;
  review: PlanReview;
  keptAt: number;
}

const kept: Kept[] = [];

/** The scope's parameters as one string: a fingerprint pages only the plan of the same scope. */
const scopeKey = (scope: ScopeInput, fingerprint: string) =>
  `${fingerprint}\0${JSON.stringify(Object.entries(scope).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)))}`;

function keep(fleet: FleetPlan, review: PlanReview) {
  const key = scopeKey(fleet.scope, fleet.fingerprint);
  const slim: FleetPlan = { ...fleet, histories: new Map() };
  const at = kept.findIndex((k) => k.key === key);
  if (at >= 0) kept.splice(at, 1);
  kept.unshift({ key, fleet: slim, review, keptAt: Date.now() });
  kept.length = Math.min(kept.length, KEEP);
}

function find(scope: ScopeInput, fingerprint: string): Kept | null {
  const now = Date.now();
  for (let i = kept.length - 1; i >= 0; i--) if (now - kept[i]!.keptAt > KEEP_MS) kept.splice(i, 1);
  return kept.find((k) => k.key === scopeKey(scope, fingerprint)) ?? null;
}

const splitQuery = (query: PlanQuery) => {
  const { status, limit, offset, fingerprint, ...scope } = query;
  return { page: { status, limit, offset }, fingerprint, scope };
};

/** Plans the scope, keeps the plan (and its snapshot, for a pinned execute), returns one page of it. */
export async function previewPlan(query: PlanQuery): Promise<PlanView> {
  const { page, scope } = splitQuery(query);
  const fleet = await buildFleetPlan(scope);
  // Kept so that executing with this fingerprint later can be told what changed since; stored in
  // the background (a pinned execute in this process waits for it).
  saveSnapshotSoon(fleet);
  const review = await reviewPlan(fleet);
  keep(fleet, review);
  return planView(fleet, page, review);
}

/** One page of a kept plan of the same scope, or null when that plan is not kept (any more). */
export function keptPlanPage(fingerprint: string, query: PlanQuery): PlanView | null {
  const { page, scope } = splitQuery(query);
  const found = find(scope, fingerprint);
  return found ? planView(found.fleet, page, found.review) : null;
}

/** GET /api/migrations/dynamic/plan: a page of the kept plan named by `fingerprint`, else a new plan. */
export async function planPage(query: PlanQuery): Promise<PlanView> {
  return (query.fingerprint ? keptPlanPage(query.fingerprint, query) : null) ?? previewPlan(query);
}

/** Forgets every kept plan (tests). */
export function forgetKeptPlans(): void {
  kept.length = 0;
}
