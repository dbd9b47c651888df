import type { TargetMigrationResult } from "../../domain/executions";
import type { Rollout } from "../../domain/rollouts";
import { scopeParamsView } from "../plans/scope";
import type { PlanTotalsView } from "../plans/plan-schemas";
import type { ExecutionSummary, ExecutionTargetView } from "./execution-schemas";
import { progressView } from "./progress";
import type { ExecutionRow, TargetRow } from "./repository";
import type { RolloutView } from "./rollout-schemas";

/** An execution's progress as the API and its events show it. */
export function progressOf(row: ExecutionRow) {
  return progressView({
    totalTargets: row.totalTargets,
    completedTargets: row.completedTargets,
    failedTargets: row.failedTargets,
    skippedTargets: row.skippedTargets,
    currentTarget: row.currentTarget,
    estimatedCompletion: row.estimatedCompletion,
  });
}

/** Stored rows → the API's snake_case shapes (execution-schemas.ts). */

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export function executionSummaryView(row: ExecutionRow): ExecutionSummary {
  return {
    id: row.id,
    batch_id: row.batchId,
    kind: row.kind,
    scope: row.scope,
    params: scopeParamsView(row.params),
    status: row.status,
    dry_run: row.dryRun,
    plan_fingerprint: row.planFingerprint,
    awaiting_approval: row.status === "pending" && !row.approvedAt,
    progress: progressOf(row),
    created_at: row.createdAt.toISOString(),
    started_at: iso(row.startedAt),
    completed_at: iso(row.completedAt),
    executed_by: row.executedBy,
    approved_by: row.approvedBy,
    approved_at: iso(row.approvedAt),
    cancel_requested_at: iso(row.cancelRequestedAt),
    cancel_requested_by: row.cancelRequestedBy,
    error_message: row.errorMessage,
    metadata: row.metadata,
    rollout: rolloutView(row.rollout),
  };
}

export function migrationView(m: TargetMigrationResult) {
  return {
    id: m.id ?? `${m.tier}/${m.version}_${m.name}`,
    version: m.version,
    name: m.name,
    tier: m.tier,
    checksum: m.checksum,
    status: m.status,
    duration_ms: m.durationMs ?? null,
    error: m.error ?? null,
    locks: m.locks ?? null,
    relations: m.relations ?? null,
  };
}

export function targetView(t: TargetRow): ExecutionTargetView {
  return {
    id: t.id,
    position: t.position,
    database_id: t.connectionId,
    connection_name: t.connectionName,
    database_name: t.databaseName,
    schema_name: t.schemaName,
    database_type: t.tier,
    region: t.region,
    tenant_id: t.tenantId,
    status: t.status,
    attempts: t.attempts,
    next_attempt_at: iso(t.nextAttemptAt),
    waiting_since: iso(t.waitingSince),
    started_at: iso(t.startedAt),
    completed_at: iso(t.completedAt),
    duration_ms: t.durationMs,
    depends_on: t.dependsOn,
    wave: t.wave,
    migrations: t.migrations.map(migrationView),
    error: t.error ?? null,
    waiting_for_window: null,
  };
}

export function planTotalsOf(row: ExecutionRow): PlanTotalsView | null {
  const plan = row.metadata.plan;
  return plan && typeof plan === "object" ? (plan as PlanTotalsView) : null;
}

/** The rollout as the API shows it; a wave whose start lies ahead (the soak) reads `soaking`. */
export function rolloutView(rollout: Rollout | null, now: Date = new Date()): RolloutView | null {
  if (!rollout) return null;
  return {
    waves: rollout.waves.map((w, index) => ({
      index,
      label: w.label,
      status: rollout.soakSeconds > 0 && w.status === "running" && w.startsAt && Date.parse(w.startsAt) > now.getTime() ? "soaking" : w.status,
      total: w.total,
      succeeded: w.succeeded,
      failed: w.failed,
      skipped: w.skipped,
      accepted_failures: w.acceptedFailures,
      starts_at: w.startsAt,
      completed_at: w.completedAt,
    })),
    current_wave: rollout.current,
    soak_seconds: rollout.soakSeconds,
    halt_rule: { max_failed_targets: rollout.halt.maxFailedTargets, max_failed_percent: rollout.halt.maxFailedPercent },
    halted: rollout.halted,
    resumes: rollout.resumes,
  };
}
