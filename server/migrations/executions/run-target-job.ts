import { getSettings } from "../../config/settings";
import { getDb } from "../../db/client";
import type { TargetError, TargetMigrationResult } from "../../domain/executions";
import { resolveConnectionOrThrow } from "../../databases/service";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { AppError } from "../../errors/app-error";
import { getLogger } from "../../logging/logger";
import { DEFAULT_LOCK_WAIT_MS } from "../engine/target-lock";
import type { Catalog, Target } from "../engine/types";
import { watchCancellation } from "./cancel-watch";
import { CatalogChanged, catalogWithPlanned, plannedIds } from "./planned-catalog";
import { keepEarlierAttempts } from "./attempts";
import { rehearsalPlan } from "./rehearsal-plan";
import { revertRehearsalPlan } from "./revert-rehearsal-plan";
import * as repo from "./repository";
import { retryDelayMs, shouldRetry } from "./retry-policy";
import { runEngine, type EngineRunOutcome } from "./run-engine";
import {
  requeueTarget,
  scheduleRetry,
  settleTarget,
  startTarget,
  targetLabel,
  waitForDependencies,
} from "./target-state";
import { holdForWindow } from "./window-gate";

/**
 * What one target's job does, start to end (the job queue calls this; see server/jobs):
 *
 *  1. nothing when the target already finished (a duplicate or a re-run after a crash);
 *  2. skipped when its execution was cancelled; waits, queued, while its database's maintenance
 *     window is closed (unless an admin overrode the windows for the execution);
 *  3. waits, by asking to be run again shortly, while a target it depends on (its region's shared
 *     target, say) has not finished, and fails if that one failed or the wait outlasts
 *     MIGRATION_TIMEOUT;
 *  4. checks that the catalog still has the planned files with the planned checksums;
 *  5. runs the engine, then records the result: succeeded, failed (SQL errors at once, with the
 *     PostgreSQL code, file and line), or queued again after a transient failure with exponential
 *     backoff, up to MIGRATION_RETRY_ATTEMPTS retries counted in the target's row.
 *
 * Each step is a function below, named after it. Database problems never throw out of here; a
 * throw means the control plane itself failed, and the job queue retries the job later.
 */

export interface TargetJobInput {
  executionId: string;
  targetId: string;
  /** Fires when the worker shuts down: the target stops after its current migration and is handed on. */
  shutdownSignal?: AbortSignal;
}

type Job = { execution: repo.ExecutionRow; target: repo.TargetRow };

export async function runTargetJob(input: TargetJobInput): Promise<void> {
  const job = await loadJob(input);
  if (!job) return;
  if (await skipIfCancelled(job)) return;
  if (job.execution.status !== "in_progress") return;
  // Outside its maintenance window the target waits (window-gate.ts).
  if (await holdForWindow(job)) return;
  if ((await checkDependencies(job)) !== "ready") return;
  const prepared = await prepareRun(job);
  if (!prepared) return;

  const started = await startTarget(job.execution.id, job.target);
  if (!started) {
    // The execution was cancelled (or ended) between the checks above and now.
    const fresh = await repo.findExecution(getDb(), job.execution.id);
    if (fresh?.cancelRequestedAt) return runTargetJob(input);
    return;
  }
  const { outcome, migrations } = await runOnTarget(job, prepared, input.shutdownSignal);
  await recordOutcome(job, started, outcome, migrations);
}

/** Step 1: the execution and the target, or null when there is nothing (left) to do. */
async function loadJob(input: TargetJobInput): Promise<Job | null> {
  const db = getDb();
  const [execution, target] = await Promise.all([repo.findExecution(db, input.executionId), repo.findTarget(db, input.targetId)]);
  if (!execution || !target || target.executionId !== execution.id) return null;
  if (target.status !== "pending" && target.status !== "running") return null;
  return { execution, target };
}

const failTarget = ({ execution, target }: Job, error: TargetError) =>
  settleTarget(execution.id, target.id, ["pending", "running"], { status: "failed", error });

/** Step 2: a cancelled execution's target is skipped without running. */
async function skipIfCancelled({ execution, target }: Job): Promise<boolean> {
  if (!execution.cancelRequestedAt) return false;
  await settleTarget(execution.id, target.id, ["pending", "running"], {
    status: "skipped",
    error: { code: "cancelled", message: `execution cancelled by ${execution.cancelRequestedBy ?? "an operator"}`, transient: false },
  });
  return true;
}

/**
 * Step 3: the targets this one depends on. `ready` when all succeeded; otherwise the target
 * either fails (one of them failed or was skipped, or the wait outlasted MIGRATION_TIMEOUT) or
 * asks to be run again shortly.
 */
async function checkDependencies(job: Job): Promise<"ready" | "waiting" | "failed"> {
  const { execution, target } = job;
  if (target.dependsOn.length === 0) return "ready";
  const settings = getSettings().migrations;
  const deps = await repo.findTargets(getDb(), target.dependsOn);
  const broken = deps.find((d) => d.status === "failed" || d.status === "skipped");
  if (broken) {
    const rollback = execution.kind === "rollback";
    await failTarget(job, {
      code: "dependency_failed",
      message: `${targetLabel(broken)} ${broken.status === "failed" ? "failed" : "was skipped"}, and this target ${
        rollback ? "must be rolled back after" : "needs"
      } what it was to ${rollback ? "undo" : "apply"}`,
      transient: false,
    });
    return "failed";
  }
  const open = deps.filter((d) => d.status !== "succeeded");
  if (open.length === 0) return "ready";
  const waitedMs = target.waitingSince ? Date.now() - target.waitingSince.getTime() : 0;
  if (waitedMs > settings.timeoutSeconds * 1000) {
    await failTarget(job, {
      code: "dependency_timeout",
      message: `gave up after waiting ${Math.round(waitedMs / 1000)} s (MIGRATION_TIMEOUT) for ${open.map(targetLabel).join(", ")}`,
      transient: false,
    });
    return "failed";
  }
  await waitForDependencies(
    target,
    open.map((d) => ({ id: d.id, label: targetLabel(d), status: d.status })),
    settings.pollIntervalMs,
  );
  return "waiting";
}

interface PreparedRun {
  catalog: Catalog;
  connection: ResolvedConnection;
  planned: string[];
}

/**
 * Step 4: the catalog still holding every planned file unchanged, and the target's database. A
 * file that changed or left, or a database that was removed, fails the target for good; a control
 * plane that cannot answer throws (the queue retries the job).
 */
async function prepareRun(job: Job): Promise<PreparedRun | null> {
  try {
    const catalog = await catalogWithPlanned(job.target.migrations);
    const connection = await resolveConnectionOrThrow(job.target.connectionId);
    return { catalog, connection, planned: plannedIds(job.target.migrations) };
  } catch (error) {
    if (error instanceof AppError && error.code !== "service_unavailable") {
      await failTarget(job, { code: error.code === "not_found" ? "database_gone" : error.code, message: error.message, transient: false });
      return null;
    }
    if (error instanceof CatalogChanged) {
      await failTarget(job, { code: "catalog_changed", message: error.message, file: error.file, transient: false });
      return null;
    }
    throw error;
  }
}

/** Step 5a: the engine on the target, within its time budget, stoppable by a cancel or a shutdown. */
async function runOnTarget(
  { execution, target }: Job,
  { catalog, connection, planned }: PreparedRun,
  shutdownSignal: AbortSignal | undefined,
): Promise<{ outcome: EngineRunOutcome; migrations: TargetMigrationResult[] }> {
  const engineTarget: Target = {
    connectionId: target.connectionId,
    connectionName: target.connectionName,
    databaseName: target.databaseName,
    schemaName: target.schemaName,
    tier: target.tier,
    region: target.region,
    tenantId: target.tenantId,
  };
  const budgetMs = Math.max(
    getSettings().migrations.timeoutSeconds * 1000,
    ...planned.map((id) => catalog.byId.get(id)?.timeoutMs ?? 0),
  );
  // A rollback of an execution undoes only history rows that execution wrote.
  const onlyExecutionId = execution.kind === "rollback" && typeof execution.metadata.rollback_of === "string" ? execution.metadata.rollback_of : null;
  const rehearsal = execution.kind === "rehearsal" ? await rehearsalPlan(execution.id, target, catalog) : null;
  const revertRehearsal =
    execution.kind === "rollback" && execution.dryRun ? await revertRehearsalPlan(execution, target, catalog, onlyExecutionId) : null;
  const cancel = watchCancellation(execution.id);
  try {
    const outcome = await runEngine({
      kind: execution.kind,
      dryRun: execution.dryRun,
      catalog,
      target: engineTarget,
      targetId: target.id,
      label: targetLabel(target),
      connection,
      migrationIds: rehearsal?.runIds ?? revertRehearsal?.runIds ?? planned,
      executionId: execution.id,
      appliedBy: execution.executedBy,
      rehearsalProviders: rehearsal?.providers,
      onlyExecutionId,
      revertBefore: revertRehearsal?.before,
      budgetMs,
      lockWaitMs: Math.min(DEFAULT_LOCK_WAIT_MS, budgetMs),
      cancelSignal: cancel.signal,
      checkCancelled: cancel.checkNow,
      shutdownSignal,
    });
    const ran = [...outcome.migrations, ...(rehearsal?.notRehearsable ?? revertRehearsal?.notRehearsable ?? [])];
    return { outcome, migrations: keepEarlierAttempts(target.migrations, ran) };
  } finally {
    cancel.release();
  }
}

/**
 * Step 5b: the target's result. Succeeded; handed back to the queue when the worker shut down;
 * skipped when cancelled mid-run; queued again after a transient failure (with backoff, while
 * attempts remain); failed otherwise.
 */
async function recordOutcome(
  { execution, target }: Job,
  started: { attempt: number; target: repo.TargetRow },
  outcome: EngineRunOutcome,
  migrations: TargetMigrationResult[],
): Promise<void> {
  const settings = getSettings().migrations;
  const settle = async (settlement: Parameters<typeof settleTarget>[3]) => {
    await settleTarget(execution.id, target.id, ["running"], settlement, outcome.pendingEvents, execution);
  };
  const ran = { migrations, durationMs: outcome.durationMs, appliedCount: outcome.appliedCount, summary: outcome.summary };

  if (outcome.status === "succeeded") return settle({ status: "succeeded", ...ran });
  if (outcome.status === "cancelled" && outcome.stoppedBy === "shutdown") {
    return requeueTarget(started.target, migrations, outcome.pendingEvents);
  }
  if (outcome.status === "cancelled") {
    const applied = migrations.filter((m) => m.status === "applied" || m.status === "rolled_back").length;
    return settle({
      status: "skipped",
      ...ran,
      error: {
        code: "cancelled",
        message: `execution cancelled while this target ran: stopped after ${applied} of ${migrations.length} migrations`,
        transient: false,
      },
    });
  }
  if (outcome.stoppedBy !== "timeout" && shouldRetry(outcome.error, started.attempt, settings.retryAttempts)) {
    const delayMs = retryDelayMs(started.attempt, settings.retryDelayMs);
    getLogger().info(
      { executionId: execution.id, target: targetLabel(target), attempt: started.attempt, delayMs, code: outcome.error?.code },
      "target failed, will retry",
    );
    await scheduleRetry(
      started.target,
      { error: outcome.error!, migrations, delayMs, maxAttempts: settings.retryAttempts + 1 },
      outcome.pendingEvents,
    );
    return;
  }
  return settle({ status: "failed", ...ran, error: outcome.error ?? { message: "failed", transient: false } });
}
