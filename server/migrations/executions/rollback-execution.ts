import { randomUUID } from "node:crypto";
import { getSettings } from "../../config/settings";
import { getDb } from "../../db/client";
import type { TargetMigrationResult } from "../../domain/executions";
import { conflict } from "../../errors/app-error";
import { ensureJobQueue } from "../../queue/job-queue";
import { toExecutionParams } from "../plans/scope";
import type { Catalog } from "../engine/types";
import { batchId, recordExecution } from "./create-execution";
import * as repo from "./repository";
import { assertNoRefusals, planExecutionRollback, planVersionRollback, type RollbackPlan, type VersionTargetInput } from "./rollback-plan";
import { assertNothingRunning, endHaltedRollout } from "./resume-execution";
import { reverseDependents } from "./reverse-dependencies";
import { workSummary } from "./work-summary";

/**
 * Rollback (DESIGN.md, Executing 9, and "Adopting a fleet, and day-2 operations"): the down parts
 * of a rollback plan (rollback-plan.ts) as a new execution of kind `rollback`, per target newest
 * first. Across targets the order is reversed too: a region's shared target waits until every
 * tenant that applied something requiring its migrations has undone it.
 *
 *  - of an execution (completed, failed or cancelled; `target_ids` for some of its targets):
 *    `metadata.rollback_of`; the worker undoes only history rows that execution wrote. When nothing
 *    it applied is left, the original reads `rolled_back` (rollback-ledger.ts);
 *  - of one target to a version: `metadata.to_version`, scope `single`.
 *
 * `dry_run` rehearses instead: the same targets and migrations, each target's down parts inside a
 * transaction that is rolled back (engine/rehearse-revert.ts), with the real errors; nothing
 * changes, the original included. Refused up front (409, nothing recorded) when the plan names a
 * refusal: a file without a down part, a baselined migration, a file gone or changed.
 */

export interface RollbackOptions {
  dryRun: boolean;
  executedBy: string;
}

export async function rollbackExecution(
  originalId: string,
  options: RollbackOptions & { targetIds?: readonly string[] },
): Promise<repo.ExecutionRow> {
  const original = await repo.findExecution(getDb(), originalId);
  if (original?.status === "halted") await assertNothingRunning(getDb(), original);
  const plan = await planExecutionRollback(originalId, options.targetIds);
  assertNoRefusals(plan);
  if (!options.dryRun) {
    const [active] = await repo.activeLinkedExecutions(getDb(), "rollback_of", originalId);
    if (active) throw conflict(`rollback ${active.id} of this execution is already ${active.status}`, { rollback_id: active.id });
  }
  // A halted rollout ends (its queued targets skipped) in the transaction that records its rollback.
  const endHalted = plan.original?.status === "halted" && !options.dryRun;
  return recordRollback(plan, options, endHalted ? (tx) => endHaltedRollout(tx, originalId, options.executedBy).then(() => true) : undefined);
}

export async function rollbackToVersion(input: VersionTargetInput, options: RollbackOptions): Promise<repo.ExecutionRow> {
  const plan = await planVersionRollback(input);
  assertNoRefusals(plan);
  return recordRollback(plan, options);
}

async function recordRollback(
  plan: RollbackPlan,
  { dryRun, executedBy }: RollbackOptions,
  claim?: (tx: repo.Tx) => Promise<boolean>,
): Promise<repo.ExecutionRow> {
  const executionId = randomUUID();
  const targets: repo.NewTargetRow[] = plan.targets.map(({ target: t, reverts }, position) => ({
    id: randomUUID(),
    executionId,
    position,
    connectionId: t.connectionId,
    connectionName: t.connectionName,
    databaseName: t.databaseName,
    schemaName: t.schemaName,
    tier: t.tier,
    region: t.region,
    tenantId: t.tenantId ?? null,
    status: "pending",
    migrations: reverts.map((r): TargetMigrationResult => ({ id: r.id, version: r.version, name: r.name, tier: r.tier, checksum: r.checksum, status: "pending" })),
    dependsOn: [],
  }));
  // A rehearsal never waits: each target's rehearsal is its own transaction, rolled back (the
  // worker rehearses a shared target's dependents inside it instead).
  if (!dryRun) addReverseDependencies(plan.catalog, targets);

  const needsApproval = getSettings().migrations.requireApproval && !dryRun;
  await ensureJobQueue();
  const now = new Date();
  const metadata: Record<string, unknown> = { ...workSummary(plan.catalog, targets), catalog_checksum: plan.catalog.checksum };
  if (plan.original) metadata.rollback_of = plan.original.id;
  if (plan.targetIds) metadata.target_ids = plan.targetIds;
  if (plan.toVersion !== null) metadata.to_version = plan.toVersion;
  if (plan.leftOut.length > 0) metadata.left_out = plan.leftOut.slice(0, 20).map((l) => ({ target: l.label, reason: l.reason }));
  return (await recordExecution({
    execution: {
      id: executionId,
      batchId: batchId(now),
      kind: "rollback",
      scope: plan.scope.scope,
      params: toExecutionParams(plan.scope),
      status: needsApproval ? "pending" : "in_progress",
      dryRun,
      totalTargets: targets.length,
      executedBy,
      metadata,
      startedAt: needsApproval ? null : now,
    },
    targets,
    claim,
  }))!;
}

/** Each target that undoes something others' undoing needs waits for those others. */
function addReverseDependencies(catalog: Catalog, targets: repo.NewTargetRow[]) {
  const dependents = reverseDependents(catalog, targets.map((t) => ({ id: t.id!, tier: t.tier, region: t.region ?? null, migrations: t.migrations ?? [] })));
  for (const t of targets) t.dependsOn = dependents.get(t.id!) ?? [];
}
