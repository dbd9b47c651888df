/**
 * Waved rollouts: the words and pure rules. An execution may roll out in waves (canary tenants,
 * then counts or percentages of the rest); each wave starts when the previous one has finished
 * (after an optional soak), and a halt rule stops starting targets when a wave's failures exceed
 * a number of targets or a percentage of the wave. No imports: the browser reads these too.
 */

/** One wave as requested: canary tenants by id or tag, a percentage or a count of the rest, or the rest. */
export type WaveSpec =
  | { type: "canary"; tenant_ids?: string[]; tags?: string[] }
  | { type: "percent"; percent: number }
  | { type: "count"; count: number }
  | { type: "rest" };

/** A rollout as an execution's or a schedule's request asks for it (kept so with a schedule). */
export interface RolloutRequest {
  waves: WaveSpec[];
  soak_seconds?: number;
  halt?: { max_failed_targets?: number | null; max_failed_percent?: number | null };
}

export interface HaltRule {
  /** Halt when more than this many targets of the running wave failed (null: no limit by count). */
  maxFailedTargets: number | null;
  /** Halt when more than this percentage of the running wave's targets failed (null: no limit by share). */
  maxFailedPercent: number | null;
}

export const WAVE_STATUSES = ["pending", "running", "completed", "halted", "skipped"] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];

/** One wave as the execution keeps it (`executions.rollout`), counters updated with each target's end. */
export interface WaveState {
  label: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Failures an operator accepted when resuming: the halt rule counts only those after them. */
  acceptedFailures: number;
  status: WaveStatus;
  /** When its targets may start (the end of the soak after the previous wave); null until it starts. */
  startsAt: string | null;
  completedAt: string | null;
}

export interface Rollout {
  waves: WaveState[];
  /** Index of the wave running (or halted, or the last one once everything ended). */
  current: number;
  soakSeconds: number;
  halt: HaltRule;
  halted: { wave: number; reason: string; at: string } | null;
  resumes: Array<{ by: string; at: string; wave: number; retried: number }>;
}

export interface WaveTarget {
  tier: string;
  tenantId: string | null;
}

/**
 * Which wave each target belongs to. Targets that are not tenants (the admin, shared and
 * analytics targets in scope, providers taken in) go to the first wave: every tenant of a later
 * wave may need what they apply, so they are proven first, with the canaries. Canary tenants are
 * those named in `canaryTenantIds`; percentages and counts take the next tenants in plan order, a
 * percentage of all non-canary tenants (so `[canary, 10 %, 50 %, rest]` means 10 % and 50 % of
 * the same number), rounded up. Tenants left when the listed waves are used up form a last `rest`
 * wave. Waves that come out empty are dropped.
 */
export function assignWaves(
  targets: readonly WaveTarget[],
  specs: readonly WaveSpec[],
  canaryTenantIds: ReadonlySet<string>,
): { waveOf: number[]; labels: string[] } {
  const buckets: number[][] = specs.map(() => []);
  const labels = specs.map(waveLabel);
  const rest: number[] = [];
  const hasCanary = specs[0]?.type === "canary";
  targets.forEach((t, i) => {
    if (t.tier !== "tenant" || !t.tenantId) buckets[0]!.push(i);
    else if (hasCanary && canaryTenantIds.has(t.tenantId)) buckets[0]!.push(i);
    else rest.push(i);
  });
  const base = rest.length;
  let next = 0;
  specs.forEach((spec, w) => {
    if (spec.type === "canary") return;
    const want = spec.type === "rest" ? rest.length - next : spec.type === "count" ? spec.count : Math.ceil((base * spec.percent) / 100);
    const take = Math.min(want, rest.length - next);
    buckets[w]!.push(...rest.slice(next, next + take));
    next += take;
  });
  if (next < rest.length) {
    buckets.push(rest.slice(next));
    labels.push("rest");
  }
  const waveOf = new Array<number>(targets.length).fill(0);
  const kept: string[] = [];
  buckets.forEach((bucket, w) => {
    if (bucket.length === 0) return;
    for (const i of bucket) waveOf[i] = kept.length;
    kept.push(labels[w]!);
  });
  return { waveOf, labels: kept };
}

export function waveLabel(spec: WaveSpec): string {
  switch (spec.type) {
    case "canary":
      return "canary";
    case "percent":
      return `${spec.percent} %`;
    case "count":
      return `${spec.count} target${spec.count === 1 ? "" : "s"}`;
    case "rest":
      return "rest";
  }
}

/** Why the wave halts the rollout, or null while its failures stay within the rule. */
export function haltReason(wave: WaveState, index: number, rule: HaltRule): string | null {
  const failed = wave.failed - wave.acceptedFailures;
  if (failed <= 0 || wave.total === 0) return null;
  const name = `wave ${index + 1} (${wave.label})`;
  if (rule.maxFailedTargets !== null && failed > rule.maxFailedTargets) {
    return `${failed} of ${wave.total} targets failed in ${name}, more than the ${rule.maxFailedTargets} the halt rule allows`;
  }
  const percent = (failed * 100) / wave.total;
  if (rule.maxFailedPercent !== null && percent > rule.maxFailedPercent) {
    return `${failed} of ${wave.total} targets (${Math.round(percent * 10) / 10} %) failed in ${name}, more than the ${rule.maxFailedPercent} % the halt rule allows`;
  }
  return null;
}

export const waveFinished = (w: WaveState) => w.succeeded + w.failed + w.skipped >= w.total;
