import { getSettings } from "../../config/settings";
import { getDb } from "../../db/client";
import type { TargetError, TargetMigrationResult } from "../../domain/executions";
import { resolveConnectionOrThrow } from "../../databases/service";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { AppError } from "../../errors/app-error";
import { getLogger } from "../../logging/logger";
import { getCatalogOrThrow } from "../plans/catalog-store";
import { DEFAULT_LOCK_WAIT_MS } from "../engine/target-lock";
import type { Catalog, Target } from "../engine/types";
import { watchCancellation } from "./cancel-watch";
import * as repo from "./repository";
import { retryDelayMs, shouldRetry } from "./retry-policy";
import { runEngine } from "./run-engine";
import {
  requeueTarget,
  scheduleRetry,
  settleTarget,
  startTarget,
  targetLabel,
  waitForDependencies,
} from "./target-state";

/**
 * What one target's job does, start to end (the job queue calls this; see server/jobs):
 *
 *  1. nothing when the target already finished (a duplicate or a re-run after a crash);
 *  2. skipped when its execution was cancelled;
 *  3. waits, by asking to be run again shortly, while a target it depends on (its region's shared
 *     target, say) has not finished, and fails if that one failed or the wait outlasts
 *     MIGRATION_TIMEOUT;
 *  4. checks that the catalog still has the planned files with the planned checksums;
 *  5. runs the engine, then records the result: succeeded, failed (SQL errors at once, with the
 *     PostgreSQL code, file and line), or queued again after a transient failure with exponential
 *     backoff, up to MIGRATION_RETRY_ATTEMPTS retries counted in the target's row.
 *
 * Database problems never throw out of here; a throw means the control plane itself failed, and
 * the job queue retries the job later.
 */

export interface TargetJobInput {
  executionId: string;
  targetId: string;
  /** Fires when the worker shuts down: the target stops after its current migration and is handed on. */
  shutdownSignal?: AbortSignal;
}

export async function runTargetJob(input: TargetJobInput): Promise<void> {
  const settings = getSettings().migrations;
  const db = getDb();
  const [execution, target] = await Promise.all([repo.findExecution(db, input.executionId), repo.findTarget(db, input.targetId)]);
  if (!execution || !target || target.executionId !== execution.id) return;
  if (target.status !== "pending" && target.status !== "running") return;
  const fail = (error: TargetError) => settleTarget(execution.id, target.id, ["pending", "running"], { status: "failed", error });

  if (execution.cancelRequestedAt) {
    await settleTarget(execution.id, target.id, ["pending", "running"], {
      status: "skipped",
      error: { code: "cancelled", message: `execution cancelled by ${execution.cancelRequestedBy ?? "an operator"}`, transient: false },
    });
    return;
  }
  if (execution.status !== "in_progress") return;

  if (target.dependsOn.length > 0) {
    const deps = await repo.findTargets(db, target.dependsOn);
    const broken = deps.find((d) => d.status === "failed" || d.status === "skipped");
    if (broken) {
      await fail({
        code: "dependency_failed",
        message: `${targetLabel(broken)} ${broken.status === "failed" ? "failed" : "was skipped"}, and this target ${
          execution.kind === "rollback" ? "must be rolled back after" : "needs"
        } what it was to ${execution.kind === "rollback" ? "undo" : "apply"}`,
        transient: false,
      });
      return;
    }
    const open = deps.filter((d) => d.status !== "succeeded");
    if (open.length > 0) {
      const waitedMs = target.waitingSince ? Date.now() - target.waitingSince.getTime() : 0;
      if (waitedMs > settings.timeoutSeconds * 1000) {
        await fail({
          code: "dependency_timeout",
          message: `gave up after waiting ${Math.round(waitedMs / 1000)} s (MIGRATION_TIMEOUT) for ${open.map(targetLabel).join(", ")}`,
          transient: false,
        });
        return;
      }
      await waitForDependencies(
        target,
        open.map((d) => ({ id: d.id, label: targetLabel(d), status: d.status })),
        settings.pollIntervalMs,
      );
      return;
    }
  }

  const planned = plannedIds(target.migrations);
  let catalog: Catalog;
  let connection: ResolvedConnection;
  try {
    catalog = await catalogWithPlanned(target.migrations);
    connection = await resolveConnectionOrThrow(target.connectionId);
  } catch (error) {
    if (error instanceof AppError && error.code !== "service_unavailable") {
      await fail({ code: error.code === "not_found" ? "database_gone" : error.code, message: error.message, transient: false });
      return;
    }
    if (error instanceof CatalogChanged) {
      await fail({ code: "catalog_changed", message: error.message, file: error.file, transient: false });
      return;
    }
    throw error;
  }

  const started = await startTarget(execution.id, target.id);
  if (!started) {
    // The execution was cancelled (or ended) between the checks above and now.
    const fresh = await repo.findExecution(db, execution.id);
    if (fresh?.cancelRequestedAt) return runTargetJob(input);
    return;
  }
  const { attempt } = started;
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
    settings.timeoutSeconds * 1000,
    ...planned.map((id) => catalog.byId.get(id)?.timeoutMs ?? 0),
  );
  const rehearsal = execution.kind === "rehearsal" ? await rehearsalPlan(execution.id, target, catalog) : null;
  const cancel = watchCancellation(execution.id);
  let outcome;
  try {
    outcome = await runEngine({
      kind: execution.kind,
      catalog,
      target: engineTarget,
      targetId: target.id,
      label: targetLabel(target),
      connection,
      migrationIds: rehearsal ? rehearsal.runIds : planned,
      executionId: execution.id,
      appliedBy: execution.executedBy,
      rehearsalProviders: rehearsal?.providers,
      budgetMs,
      lockWaitMs: Math.min(DEFAULT_LOCK_WAIT_MS, budgetMs),
      cancelSignal: cancel.signal,
      shutdownSignal: input.shutdownSignal,
    });
  } finally {
    cancel.release();
  }

  const migrations: TargetMigrationResult[] = [...outcome.migrations, ...(rehearsal?.notRehearsable ?? [])];
  if (outcome.status === "succeeded") {
    await settleTarget(
      execution.id,
      target.id,
      ["running"],
      { status: "succeeded", migrations, durationMs: outcome.durationMs, appliedCount: outcome.appliedCount },
      outcome.pendingEvents,
    );
    return;
  }
  if (outcome.status === "cancelled" && outcome.stoppedBy === "shutdown") {
    await requeueTarget(started.target, migrations, outcome.pendingEvents);
    return;
  }
  if (outcome.status === "cancelled") {
    const applied = migrations.filter((m) => m.status === "applied" || m.status === "rolled_back").length;
    await settleTarget(
      execution.id,
      target.id,
      ["running"],
      {
        status: "skipped",
        migrations,
        durationMs: outcome.durationMs,
        appliedCount: outcome.appliedCount,
        error: {
          code: "cancelled",
          message: `execution cancelled while this target ran: stopped after ${applied} of ${migrations.length} migrations`,
          transient: false,
        },
      },
      outcome.pendingEvents,
    );
    return;
  }
  if (outcome.stoppedBy !== "timeout" && shouldRetry(outcome.error, attempt, settings.retryAttempts)) {
    const delayMs = retryDelayMs(attempt, settings.retryDelayMs);
    getLogger().info({ executionId: execution.id, target: targetLabel(target), attempt, delayMs, code: outcome.error?.code }, "target failed, will retry");
    await scheduleRetry(
      started.target,
      { error: outcome.error!, migrations, delayMs, maxAttempts: settings.retryAttempts + 1 },
      outcome.pendingEvents,
    );
    return;
  }
  await settleTarget(
    execution.id,
    target.id,
    ["running"],
    {
      status: "failed",
      migrations,
      durationMs: outcome.durationMs,
      appliedCount: outcome.appliedCount,
      error: outcome.error ?? { message: "failed", transient: false },
    },
    outcome.pendingEvents,
  );
}

/** Migration ids recorded for a target at planning time, in order. */
export function plannedIds(migrations: readonly TargetMigrationResult[]): string[] {
  return migrations.map((m) => `${m.tier}/${m.version}_${m.name}`);
}

class CatalogChanged extends Error {
  constructor(
    message: string,
    readonly file: string | undefined,
  ) {
    super(message);
  }
}

/**
 * The catalog, provided it still has every planned migration with the checksum it was planned
 * with: a file edited between planning and running must not silently run in its new form. Looks at
 * the files again before refusing, in case this process's copy is older than the plan.
 */
async function catalogWithPlanned(planned: readonly TargetMigrationResult[]): Promise<Catalog> {
  const mismatch = (catalog: Catalog) =>
    planned.find((m) => catalog.byId.get(`${m.tier}/${m.version}_${m.name}`)?.checksum !== m.checksum);
  let catalog = await getCatalogOrThrow();
  if (!mismatch(catalog)) return catalog;
  catalog = await getCatalogOrThrow({ maxAgeMs: 0 });
  const bad = mismatch(catalog);
  if (!bad) return catalog;
  const id = `${bad.tier}/${bad.version}_${bad.name}`;
  const now = catalog.byId.get(id);
  throw new CatalogChanged(
    now
      ? `${now.file} changed since the execution was planned (checksum ${bad.checksum.slice(0, 12)}… → ${now.checksum.slice(0, 12)}…); plan and execute again`
      : `${id} is no longer in the catalog; plan and execute again`,
    now?.file,
  );
}

/**
 * For a rehearsal (DESIGN.md, Executing 7): a requirement that another target of this execution
 * would apply first is rehearsed inside the same transaction when that target lives in the same
 * database (its pending migrations run first, then the target's). When it lives in another
 * database it cannot be part of the transaction: the migration that needs it, and every later one
 * (which may build on it), are reported as not rehearsable.
 */
async function rehearsalPlan(executionId: string, target: repo.TargetRow, catalog: Catalog) {
  const planned = plannedIds(target.migrations);
  const providers = target.tier === "tenant" ? await repo.providerTargetsOf(getDb(), executionId) : [];
  const plannedBy = new Map<string, repo.TargetRow>();
  for (const p of providers) {
    if (p.tier !== "admin" && p.region !== target.region) continue;
    for (const id of plannedIds(p.migrations)) plannedBy.set(id, p);
  }
  const sameDb = new Set<repo.TargetRow>();
  let cut = planned.length;
  let reason = "";
  for (const [i, id] of planned.entries()) {
    for (const req of catalog.byId.get(id)?.requires ?? []) {
      const provider = plannedBy.get(req);
      if (!provider) continue;
      if (provider.connectionId === target.connectionId) sameDb.add(provider);
      else if (i < cut) {
        cut = i;
        reason = `${id} requires ${req}, which ${targetLabel(provider)} (another database) applies in this execution: it cannot be rehearsed in the same transaction`;
      }
    }
  }
  const notRehearsable: TargetMigrationResult[] = planned.slice(cut).map((id, j) => {
    const m = catalog.byId.get(id)!;
    return {
      id,
      version: m.version,
      name: m.name,
      tier: m.tier,
      checksum: m.checksum,
      status: "not_rehearsable",
      error: {
        code: "not_rehearsable",
        message: j === 0 ? reason : `follows ${planned[cut]}, which could not be rehearsed`,
        file: m.file,
        transient: false,
      },
    };
  });
  return {
    runIds: planned.slice(0, cut),
    notRehearsable,
    providers: [...sameDb].map((p) => ({
      target: {
        connectionId: p.connectionId,
        connectionName: p.connectionName,
        databaseName: p.databaseName,
        schemaName: p.schemaName,
        tier: p.tier,
        region: p.region,
        tenantId: null,
      } satisfies Target,
      migrationIds: plannedIds(p.migrations),
    })),
  };
}
