import { getDb } from "../../db/client";
import { REHEARSAL_RULE, strongestLevel, type ReviewLevel } from "../../domain/review";
import { AppError } from "../../errors/app-error";
import type { Migration, PlanWarning } from "../engine/types";
import type { FleetPlan } from "./plan-service";
import type { PlanView, SizeReviewView } from "./plan-schemas";
import { latestPassedRehearsal, latestRehearsedTargets } from "./review-repository";
import { getReviewPolicy, type ReviewPolicy } from "./review-policy";
import { sizeReview } from "./size-review";

/**
 * What the review policy makes of a plan (README, "Review policy"): each lint finding of its pending
 * migrations and each size flag of its latest rehearsals gets the policy's level; an execution of
 * the plan is refused when one is `block` (or when the policy asks for a passed rehearsal of the
 * same plan and there is none), and waits for a second operator when one is `require_approval`.
 */

export interface PlanReview {
  policy: ReviewPolicy;
  size: SizeReviewView;
  lastPassedRehearsal: { id: string; completedAt: Date } | null;
}

/** One finding with its level, where it is, and the statement it is about. */
export interface ReviewedFinding {
  rule: string;
  level: ReviewLevel;
  migration_id: string;
  file: string;
  line: number;
  statement: string | null;
  message: string;
}

export async function reviewPlan(fleet: FleetPlan): Promise<PlanReview> {
  const policy = getReviewPolicy();
  const withWork = fleet.plan.targets.filter((tp) => tp.pending.length > 0);
  const rehearsed = await latestRehearsedTargets(getDb(), {
    connectionIds: [...new Set(withWork.map((tp) => tp.target.connectionId))],
    schemaNames: [...new Set(withWork.map((tp) => tp.target.schemaName))],
    hours: policy.sizesMaxAgeHours,
  });
  const wanted = new Set(withWork.map((tp) => `${tp.target.connectionId}/${tp.target.schemaName}`));
  const pendingIds = new Set(withWork.flatMap((tp) => tp.pending.map((m) => m.id)));
  const relevant = rehearsed
    .filter((r) => wanted.has(`${r.connectionId}/${r.schemaName}`))
    .map((r) => ({ ...r, migrations: r.migrations.filter((m) => m.id && pendingIds.has(m.id)) }));
  const lastPassedRehearsal = policy.requireRehearsalWithinHours
    ? await latestPassedRehearsal(getDb(), { fingerprint: fleet.fingerprint, hours: policy.requireRehearsalWithinHours })
    : null;
  return { policy, size: sizeReview(fleet.catalog, relevant, policy), lastPassedRehearsal };
}

/** Every finding of the plan with its level: lint findings first, then size flags. */
export function reviewedFindings(fleet: FleetPlan, review: PlanReview): ReviewedFinding[] {
  const lint = fleet.plan.warnings.map((w) => ({
    rule: w.code,
    level: levelOf(w, review.policy),
    migration_id: w.migrationId,
    file: w.file,
    line: w.line,
    statement: statementAt(fleet.catalog.byId.get(w.migrationId), w.line),
    message: w.message,
  }));
  const size = review.size.flags.map((f) => ({
    rule: f.rule,
    level: f.level,
    migration_id: f.migration_id,
    file: f.file,
    line: f.line,
    statement: statementAt(fleet.catalog.byId.get(f.migration_id), f.line),
    message: f.message,
  }));
  return [...lint, ...size];
}

export function levelOf(w: Pick<PlanWarning, "code">, policy: ReviewPolicy = getReviewPolicy()): ReviewLevel {
  return (policy.levels as Record<string, ReviewLevel | undefined>)[w.code] ?? "warn";
}

export function planReviewView(fleet: FleetPlan, review: PlanReview): PlanView["review"] {
  const findings = reviewedFindings(fleet, review);
  const rehearsalMissing = review.policy.requireRehearsalWithinHours !== null && !review.lastPassedRehearsal;
  return {
    outcome: rehearsalMissing ? "block" : strongestLevel(findings.map((f) => f.level)),
    policy: review.policy.source,
    require_rehearsal_within_hours: review.policy.requireRehearsalWithinHours,
    last_passed_rehearsal: review.lastPassedRehearsal
      ? { id: review.lastPassedRehearsal.id, completed_at: review.lastPassedRehearsal.completedAt.toISOString() }
      : null,
    size: review.size,
  };
}

/**
 * The policy applied to starting an execution of the plan: throws when a finding is `block` (422
 * `policy_blocked`, naming each rule, file, line and statement) or when a passed rehearsal of the
 * same plan is required and missing (409 `rehearsal_required`). Returns the findings that ask for a
 * second operator's approval.
 */
export function enforceReview(fleet: FleetPlan, review: PlanReview): ReviewedFinding[] {
  const findings = reviewedFindings(fleet, review);
  const blocked = findings.filter((f) => f.level === "block");
  if (blocked.length > 0) {
    const first = blocked.slice(0, 3).map((f) => `${f.rule} at ${f.file}:${f.line}${f.statement ? ` (${oneLine(f.statement)})` : ""}`);
    throw new AppError(
      "policy_blocked",
      `the review policy blocks this execution: ${first.join("; ")}${blocked.length > 3 ? `; and ${blocked.length - 3} more` : ""}`,
      { findings: blocked.slice(0, 50), rules: [...new Set(blocked.map((f) => f.rule))] },
    );
  }
  const hours = review.policy.requireRehearsalWithinHours;
  if (hours !== null && !review.lastPassedRehearsal) {
    throw new AppError(
      "rehearsal_required",
      `the review policy asks for a passed rehearsal of this plan within the last ${hours} h before executing it: dry-run it first (fingerprint ${fleet.fingerprint.slice(0, 12)})`,
      { rule: REHEARSAL_RULE, within_hours: hours, plan_fingerprint: fleet.fingerprint },
    );
  }
  return findings.filter((f) => f.level === "require_approval");
}

/** The statement of the migration's up part that holds `line` (findings name a line inside it). */
function statementAt(migration: Migration | undefined, line: number): string | null {
  if (!migration) return null;
  let found: string | null = null;
  for (const s of migration.up.statements) if (s.line <= line) found = s.sql;
  return found ?? migration.up.statements[0]?.sql ?? null;
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat;
}
