import { randomBytes, randomUUID } from "node:crypto";
import { getSettings } from "../../config/settings";
import { getDb } from "../../db/client";
import type { ExecutionKind, TargetMigrationResult } from "../../domain/executions";
import type { RolloutRequest } from "../../domain/rollouts";
import { enqueueTargetJobs, ensureJobQueue } from "../../queue/job-queue";
import { emitExecutionEvent, ENDED_EVENT } from "../../webhooks/emit";
import { buildFleetPlan, targetStatus, type FleetPlan } from "../plans/plan-service";
import { planChangedError, saveSnapshot } from "../plans/plan-snapshots";
import { planTotalsView } from "../plans/plan-view";
import { enforceReview, reviewPlan } from "../plans/plan-review";
import { toExecutionParams, type ScopeInput } from "../plans/scope";
import type { NewEvent } from "./events";
import { appendEvents } from "./events-repository";
import { executionSummaryView, rolloutView } from "./execution-view";
import * as repo from "./repository";
import { progressOf } from "./execution-view";
import { jobOf } from "./target-state";
import { haltedAtStart, planRollout, queuedAtStart, startFirstWave } from "./waves";
import { workSummary } from "./work-summary";

/**
 * Starting an execution (or a rehearsal): plan the scope, check a pinned fingerprint, then in ONE
 * transaction record the execution, its targets and their jobs.
 *
 * Which targets are recorded: those with something to do. Up-to-date targets are left out (the
 * plan's totals, kept in `metadata.plan`, still count them), so a no-op execution over 10,000
 * tenants records nothing and ends at once. Blocked targets (drift, an interrupted migration, a
 * requirement nobody will apply) are recorded as failed with the reasons, without running: the
 * operator sees them, and the execution cannot end `completed` while they stay behind.
 */

export interface CreateExecutionInput {
  scope: ScopeInput;
  dryRun: boolean;
  planFingerprint?: string;
  executedBy: string;
  metadata?: Record<string, unknown>;
  /** A plan built by the caller (a retry plans only some targets of its scope); default: plan the scope. */
  fleet?: FleetPlan;
  /**
   * Runs first inside the recording transaction; returning false records nothing (a schedule
   * claiming its due time with a compare-and-set, so two console instances fire it once).
   */
  claim?: (tx: repo.Tx, executionId: string) => Promise<boolean>;
  /** Roll out in waves with a halt rule (waves.ts); default: every target at once. */
  rollout?: RolloutRequest;
}

export async function createExecution(input: CreateExecutionInput): Promise<repo.ExecutionRow | null> {
  const fleet = input.fleet ?? (await buildFleetPlan(input.scope));
  if (input.planFingerprint && input.planFingerprint !== fleet.fingerprint) {
    throw await planChangedError(input.planFingerprint, fleet);
  }
  const kind: ExecutionKind = input.dryRun ? "rehearsal" : "migrate";
  // The review policy: refuses (block, a missing rehearsal) or asks a second operator. Not rehearsals.
  const approvalFindings = input.dryRun ? [] : enforceReview(fleet, await reviewPlan(fleet));
  const needsApproval = (getSettings().migrations.requireApproval || approvalFindings.length > 0) && !input.dryRun;
  const executionId = randomUUID();
  const targets = targetRows(fleet, executionId, kind);
  const runnable = targets.filter((t) => t.status === "pending");
  const blocked = targets.length - runnable.length;
  let rollout = input.rollout && runnable.length > 0 ? await planRollout(input.rollout, targets, { tenantIds: plannedTenantIds(fleet) }) : null;
  if (runnable.length > 0) await ensureJobQueue();
  // The approver's check compares against this plan, so keep it.
  if (needsApproval && runnable.length > 0) await saveSnapshot(fleet);

  const now = new Date();
  let status: repo.ExecutionRow["status"] = runnable.length === 0 ? (blocked > 0 ? "failed" : "completed") : needsApproval ? "pending" : "in_progress";
  const ended = status === "completed" || status === "failed";
  if (rollout && status === "in_progress") rollout = startFirstWave(rollout, now);
  const haltedBy = rollout && status === "in_progress" ? haltedAtStart(rollout) : null;
  if (rollout && haltedBy) {
    status = "halted";
    rollout = { ...rollout, halted: { wave: 0, reason: haltedBy, at: now.toISOString() }, waves: rollout.waves.map((w, i) => (i === 0 ? { ...w, status: "halted" } : w)) };
  }
  return recordExecution({
    claim: input.claim,
    execution: {
      id: executionId,
      batchId: batchId(now),
      kind,
      scope: input.scope.scope,
      params: toExecutionParams(input.scope),
      status,
      dryRun: input.dryRun,
      planFingerprint: fleet.fingerprint,
      totalTargets: targets.length,
      failedTargets: blocked,
      executedBy: input.executedBy,
      errorMessage: status === "failed" ? `${blocked} of ${targets.length} targets are blocked: nothing ran` : haltedBy ? `halted: ${haltedBy}` : null,
      metadata: {
        ...input.metadata,
        ...workSummary(fleet.catalog, targets, fleet.discovery.tenantSlugs),
        catalog_checksum: fleet.catalog.checksum,
        plan: planTotalsView(fleet),
        ...(approvalFindings.length > 0 ? { review: { requires_approval: approvalFindings.slice(0, 50) } } : {}),
      },
      rollout,
      startedAt: status === "pending" ? null : now,
      completedAt: ended ? now : null,
    },
    targets,
  });
}

/**
 * Records an execution built by a caller (create, rollback): execution row, target rows, the
 * lifecycle events so far and, when it is in progress, one job per queued target.
 */
export async function recordExecution(r: {
  execution: repo.NewExecutionRow & { id: string };
  targets: repo.NewTargetRow[];
  claim?: (tx: repo.Tx, executionId: string) => Promise<boolean>;
}): Promise<repo.ExecutionRow | null> {
  return getDb().transaction(async (tx) => {
    if (r.claim && !(await r.claim(tx, r.execution.id))) return null;
    const row = await repo.insertExecution(tx, r.execution);
    await repo.insertTargets(tx, r.targets);
    const events: NewEvent[] = [{ type: "execution_created", payload: { execution: executionSummaryView(row) } }];
    if (row.status === "in_progress") {
      events.push({ type: "execution_started", payload: { progress: progressOf(row) } });
      await enqueueTargetJobs(tx, queuedAtStart(r.targets, row.rollout).map((t) => jobOf(t as repo.TargetRow)));
    }
    if (row.status === "halted") {
      events.push({
        type: "execution_halted",
        payload: { wave: 0, label: row.rollout?.waves[0]?.label ?? null, reason: row.rollout?.halted?.reason ?? null, progress: progressOf(row), rollout: rolloutView(row.rollout) },
      });
    }
    if (row.status === "completed" || row.status === "failed") {
      events.push({
        type: "execution_finished",
        payload: { status: row.status, error_message: row.errorMessage, completed_at: row.completedAt?.toISOString() ?? null, progress: progressOf(row) },
      });
    }
    await appendEvents(tx, row.id, events);
    const hook =
      row.status === "pending"
        ? "execution.approval_needed"
        : row.status === "in_progress"
          ? "execution.started"
          : row.status === "halted"
            ? "execution.halted"
            : ENDED_EVENT[row.status];
    if (hook) await emitExecutionEvent(tx, hook, row);
    return row;
  });
}

function targetRows(fleet: FleetPlan, executionId: string, kind: ExecutionKind): repo.NewTargetRow[] {
  const recorded = fleet.plan.targets.filter((tp) => targetStatus(fleet, tp) !== "up_to_date");
  const ids = new Map<string, string>(recorded.map((tp) => [tp.key, randomUUID()]));
  const now = new Date();
  return recorded.map((tp, position) => {
    const blocked = targetStatus(fleet, tp) === "blocked";
    // A rehearsal never waits: each target's rehearsal is its own transaction, rolled back.
    const dependsOn = new Set<string>();
    if (kind === "migrate") {
      for (const c of tp.crossTarget) {
        const providerId = c.willApplyInPlan && c.provider ? ids.get(c.provider.key) : undefined;
        if (providerId) dependsOn.add(providerId);
      }
    }
    const migrations: TargetMigrationResult[] = tp.pending.map((m) => ({
      id: m.id,
      version: m.version,
      name: m.name,
      tier: m.tier,
      checksum: m.checksum,
      status: "pending",
    }));
    return {
      id: ids.get(tp.key)!,
      executionId,
      position,
      connectionId: tp.target.connectionId,
      connectionName: tp.target.connectionName,
      databaseName: tp.target.databaseName,
      schemaName: tp.target.schemaName,
      tier: tp.target.tier,
      region: tp.target.region,
      tenantId: tp.target.tenantId ?? null,
      status: blocked ? "failed" : "pending",
      migrations,
      error: blocked ? { code: "blocked", message: tp.blockedReasons.join("; "), transient: false } : null,
      completedAt: blocked ? now : null,
      dependsOn: [...dependsOn],
    };
  });
}

/** Every tenant the plan covers (up to date or not): who may be named a canary. */
function plannedTenantIds(fleet: FleetPlan): Set<string> {
  return new Set(fleet.plan.targets.flatMap((tp) => (tp.target.tenantId ? [tp.target.tenantId] : [])));
}

/** `batch_20250101T120000_ab12cd`: sortable, readable in logs, unique enough next to the id. */
export function batchId(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").slice(0, 15);
  return `batch_${stamp}_${randomBytes(3).toString("hex")}`;
}
