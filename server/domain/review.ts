import type { RelationMeasure } from "./executions";

export type { RelationMeasure };

/**
 * The review policy's words (README, "Review policy"): what a finding on a pending migration does to
 * an execution, and the findings a rehearsal's measured sizes add. Shared by the server and the
 * plan and rehearsal pages.
 */

/** What a finding does: shown only, the execution waits for a second operator, or it is refused. */
export const REVIEW_LEVELS = ["warn", "require_approval", "block"] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

/** Stronger first: the level an execution gets from several findings is the strongest of them. */
export function strongestLevel(levels: Iterable<ReviewLevel>): ReviewLevel | null {
  let best: ReviewLevel | null = null;
  for (const level of levels) {
    if (best === null || REVIEW_LEVELS.indexOf(level) > REVIEW_LEVELS.indexOf(best)) best = level;
  }
  return best;
}

export const REVIEW_LEVEL_LABELS: Record<ReviewLevel, string> = {
  warn: "warn",
  require_approval: "requires approval",
  block: "blocked",
};

/**
 * Findings a rehearsal's sizes raise on a statement: it holds a blocking lock on a large relation.
 * Thresholds are the policy's `large_relation` settings.
 */
export const SIZE_RULES = ["access_exclusive_on_large_table", "rewrite_of_large_table", "index_build_on_large_table"] as const;
export type SizeRule = (typeof SIZE_RULES)[number];

export const SIZE_RULE_DESCRIPTIONS: Record<SizeRule, string> = {
  access_exclusive_on_large_table: "holds ACCESS EXCLUSIVE (no reads, no writes) on a large table until the migration commits",
  rewrite_of_large_table: "rewrites a large table (a new copy of every row) under its lock",
  index_build_on_large_table: "builds an index on a large table without CONCURRENTLY: writes wait until it is built",
};

/** The rule that asks for a passed rehearsal of the same plan before an execution. */
export const REHEARSAL_RULE = "require_rehearsal";

/** Lock modes by strength (PostgreSQL's table-level modes, weakest first). */
export const LOCK_MODES = [
  "AccessShareLock",
  "RowShareLock",
  "RowExclusiveLock",
  "ShareUpdateExclusiveLock",
  "ShareLock",
  "ShareRowExclusiveLock",
  "ExclusiveLock",
  "AccessExclusiveLock",
] as const;

export function lockStrength(mode: string): number {
  return LOCK_MODES.indexOf(mode as (typeof LOCK_MODES)[number]);
}

/** "1,234,567": row counts in size findings, the same on the server's messages and the pages. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** "512 B", "1.5 GiB": relation sizes in size findings (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "850 ms", "4.2 s", "3 min 12 s": an estimated lock time. */
export function formatLockTime(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
