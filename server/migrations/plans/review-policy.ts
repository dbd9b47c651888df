import { readFileSync } from "node:fs";
import { z } from "zod";
import { getSettings, type Settings } from "../../config/settings";
import { REHEARSAL_RULE, REVIEW_LEVELS, SIZE_RULES, type ReviewLevel, type SizeRule } from "../../domain/review";
import { LINT_RULES, type LintRule } from "../engine/classify-statement";

/**
 * The review policy (README, "Review policy"): one JSON file named by REVIEW_POLICY_FILE that gives
 * each finding of a pending migration a level, sets what a large table is for the size review, and
 * optionally asks for a passed rehearsal of the same plan first:
 *
 *   {
 *     "rules": { "drop_table": "require_approval", "index_build_on_large_table": "block" },
 *     "require_rehearsal_within_hours": 24,
 *     "large_table": { "access_exclusive_rows": 1000000, "rewrite_bytes": 1073741824, "index_rows": 1000000 }
 *   }
 *
 * Every rule left out is `warn`. Without the setting, every rule warns, the thresholds are the
 * defaults and no rehearsal is asked for. The file is read and checked when the console or a worker
 * starts (a mistake stops it with a message naming the rule or field) and again whenever the
 * settings are read anew.
 */

export type ReviewRule = LintRule | SizeRule;
export const REVIEW_RULES: readonly ReviewRule[] = [...LINT_RULES, ...SIZE_RULES];

export interface ReviewPolicy {
  /** Where it came from: the file, or null for the built-in default. */
  source: string | null;
  levels: Readonly<Record<ReviewRule, ReviewLevel>>;
  /** Hours within which a passed rehearsal of the same plan must exist; null: not asked for. */
  requireRehearsalWithinHours: number | null;
  largeTable: { accessExclusiveRows: number; rewriteBytes: number; indexRows: number };
  /** Rehearsals older than this many hours are not used for sizes. */
  sizesMaxAgeHours: number;
}

export const DEFAULT_LARGE_TABLE = { accessExclusiveRows: 1_000_000, rewriteBytes: 1024 ** 3, indexRows: 1_000_000 } as const;
const DEFAULT_SIZES_MAX_AGE_HOURS = 7 * 24;

export class ReviewPolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`REVIEW_POLICY_FILE ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ReviewPolicyError";
  }
}

const count = (what: string) =>
  z.number({ message: `${what} must be a whole number` }).int({ message: `${what} must be a whole number` }).positive({ message: `${what} must be above 0` });

const ZPolicyFile = z.strictObject({
  rules: z.record(z.string(), z.unknown()).default({}),
  require_rehearsal_within_hours: count("require_rehearsal_within_hours").max(24 * 365).nullable().default(null),
  large_table: z
    .strictObject({
      access_exclusive_rows: count("large_table.access_exclusive_rows").optional(),
      rewrite_bytes: count("large_table.rewrite_bytes").optional(),
      index_rows: count("large_table.index_rows").optional(),
    })
    .default({}),
  sizes_max_age_hours: count("sizes_max_age_hours").max(24 * 365).optional(),
});

/** Reads and checks a policy text; every problem names the rule or field it is about. */
export function parseReviewPolicy(text: string, source: string): ReviewPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ReviewPolicyError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = ZPolicyFile.safeParse(json);
  if (!parsed.success) {
    throw new ReviewPolicyError(
      source,
      parsed.error.issues.map((i) =>
        i.code === "unrecognized_keys"
          ? `${i.path.length ? `${i.path.join(".")}: ` : ""}unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")} (known: rules, require_rehearsal_within_hours, large_table, sizes_max_age_hours)`
          : i.message.startsWith(`${i.path.join(".")} `)
            ? i.message.replace(`${i.path.join(".")} `, `${i.path.join(".")}: `)
            : `${i.path.join(".") || "policy"}: ${i.message}`,
      ),
    );
  }
  const problems: string[] = [];
  const levels = Object.fromEntries(REVIEW_RULES.map((r) => [r, "warn"])) as Record<ReviewRule, ReviewLevel>;
  for (const [rule, level] of Object.entries(parsed.data.rules)) {
    if (rule === REHEARSAL_RULE) {
      problems.push(`rules.${rule}: set require_rehearsal_within_hours instead (the number of hours a passed rehearsal counts)`);
    } else if (!(REVIEW_RULES as readonly string[]).includes(rule)) {
      problems.push(`rules.${rule}: not a rule (known: ${REVIEW_RULES.join(", ")})`);
    } else if (typeof level !== "string" || !(REVIEW_LEVELS as readonly string[]).includes(level)) {
      problems.push(`rules.${rule}: level must be one of ${REVIEW_LEVELS.join(", ")} (got ${JSON.stringify(level)})`);
    } else levels[rule as ReviewRule] = level as ReviewLevel;
  }
  if (problems.length > 0) throw new ReviewPolicyError(source, problems);
  const t = parsed.data.large_table;
  return {
    source,
    levels,
    requireRehearsalWithinHours: parsed.data.require_rehearsal_within_hours,
    largeTable: {
      accessExclusiveRows: t.access_exclusive_rows ?? DEFAULT_LARGE_TABLE.accessExclusiveRows,
      rewriteBytes: t.rewrite_bytes ?? DEFAULT_LARGE_TABLE.rewriteBytes,
      indexRows: t.index_rows ?? DEFAULT_LARGE_TABLE.indexRows,
    },
    sizesMaxAgeHours: parsed.data.sizes_max_age_hours ?? DEFAULT_SIZES_MAX_AGE_HOURS,
  };
}

export function defaultReviewPolicy(): ReviewPolicy {
  return parseReviewPolicy("{}", "default");
}

const cache = new WeakMap<Settings, ReviewPolicy>();

/**
 * The policy of the current settings, read once per settings object (tests that change the
 * environment get the new file). Throws ReviewPolicyError when the file is unreadable or wrong.
 */
export function getReviewPolicy(): ReviewPolicy {
  const settings = getSettings();
  let policy = cache.get(settings);
  if (!policy) {
    const file = settings.migrations.reviewPolicyFile;
    if (!file) policy = { ...defaultReviewPolicy(), source: null };
    else {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new ReviewPolicyError(file, [`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
      }
      policy = parseReviewPolicy(text, file);
    }
    cache.set(settings, policy);
  }
  return policy;
}
