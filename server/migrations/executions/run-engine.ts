import type pg from "pg";
import type { ExecutionKind, TargetError } from "../../domain/executions";
import type { ResolvedConnection } from "../../fleet/connection-target";
import { withFleetClient } from "../../fleet/fleet-client";
import { setApplicationName } from "../../fleet/activity-repository";
import { terminateBackend } from "../../fleet/server-repository";
import { getLogger } from "../../logging/logger";
import { executeTarget, type TargetRunResult } from "../engine/execute-target";
import { rehearseTarget } from "../engine/rehearse-target";
import { rehearseRevert, type RevertPart } from "../engine/rehearse-revert";
import { revertTarget } from "../engine/revert-target";
import type { MigrationEvent, MigrationOutcome, WithClient } from "../engine/target-run";
import { historyAfterRun, summarizeTarget, type TargetSummary } from "../engine/target-summary";
import type { Catalog, HistoryRow, Target } from "../engine/types";
import { openEventLane } from "./event-buffer";
import { migrationSessionName } from "./lock-view";
import type { NewEvent } from "./events";

/**
 * One attempt at one target: the engine (apply, rehearse or revert) with a fresh session from the
 * fleet pool (closed afterwards: one long-lived session over many schemas runs about 2× slower,
 * see DESIGN.md), its progress written as events while it runs, and three ways to stop it:
 *  - the execution is cancelled: the current migration finishes, the rest is skipped;
 *  - the worker shuts down: the same, and the caller hands the target to another worker;
 *  - the target runs past its time budget: its backend is terminated at once (a transactional
 *    migration rolls back), and the target fails with `target_timeout`.
 */

export interface EngineRunInput {
  kind: ExecutionKind;
  catalog: Catalog;
  target: Target;
  targetId: string;
  label: string;
  connection: ResolvedConnection;
  migrationIds: string[];
  executionId: string;
  appliedBy: string;
  /** A rehearsal: of applying (kind rehearsal) or of rolling back (kind rollback). */
  dryRun?: boolean;
  rehearsalProviders?: { target: Target; migrationIds: string[] }[];
  /** A rollback of an execution: only the history rows that execution wrote are undone. */
  onlyExecutionId?: string | null;
  /** A rehearsed rollback: other targets' rollbacks (same database) that run before this one's. */
  revertBefore?: RevertPart[];
  budgetMs: number;
  lockWaitMs: number;
  cancelSignal: AbortSignal;
  /** Asks at once whether the execution was cancelled (firing cancelSignal if so); run once the target's lock is held. */
  checkCancelled?: () => Promise<void>;
  shutdownSignal?: AbortSignal;
}

export interface EngineRunOutcome {
  status: "succeeded" | "failed" | "cancelled";
  migrations: MigrationOutcome[];
  appliedCount: number;
  error?: TargetError;
  durationMs: number;
  stoppedBy: "cancel" | "timeout" | "shutdown" | null;
  /**
   * The target's migration state after the run (for the fleet state store), or null when its
   * history was never read (no connection) or for a rehearsal, which keeps nothing.
   */
  summary: TargetSummary | null;
  /** Migration events not written yet: the caller writes them with the target's result. */
  pendingEvents: NewEvent[];
}

export async function runEngine(input: EngineRunInput): Promise<EngineRunOutcome> {
  const stop = new AbortController();
  let stoppedBy: EngineRunOutcome["stoppedBy"] = null;
  const onCancel = () => {
    stoppedBy ??= "cancel";
    stop.abort();
  };
  const onShutdown = () => {
    stoppedBy ??= "shutdown";
    stop.abort();
  };
  if (input.cancelSignal.aborted) onCancel();
  input.cancelSignal.addEventListener("abort", onCancel);
  input.shutdownSignal?.addEventListener("abort", onShutdown);

  let backendPid: number | null = null;
  const timer = setTimeout(() => {
    stoppedBy = "timeout";
    stop.abort();
    if (backendPid !== null) void endOverBudgetSession(input.connection, backendPid);
  }, input.budgetMs);

  const events = openEventLane(input.executionId);
  const onEvent = (e: MigrationEvent) => events.push(migrationEvent(input, e));
  const withClient: WithClient = (work) =>
    withFleetClient(
      input.connection,
      async (client) => {
        backendPid = (client as unknown as { processID: number | null }).processID ?? null;
        try {
          // Named after the target, so the lock view (and a DBA) can tell whose session it is.
          await setApplicationName(client, migrationSessionName(input.targetId));
          return await work(client as pg.ClientBase);
        } finally {
          backendPid = null;
        }
      },
      { discard: true },
    );

  try {
    const ran = await runKind(input, withClient, onEvent, stop.signal);
    const outcome = { ...ran, pendingEvents: await events.drain() };
    if (stoppedBy === "timeout" && outcome.status !== "succeeded") {
      const seconds = Math.round(input.budgetMs / 1000);
      const running = outcome.migrations.find((m) => m.status === "failed");
      return {
        ...outcome,
        status: "failed",
        stoppedBy,
        error: {
          code: "target_timeout",
          message: `the target ran longer than its ${seconds} s budget (MIGRATION_TIMEOUT) and was stopped${running ? ` during ${running.id}` : ""}`,
          ...(running?.error?.file ? { file: running.error.file, line: running.error.line } : {}),
          transient: false,
        },
      };
    }
    return { ...outcome, stoppedBy: outcome.status === "cancelled" ? (stoppedBy ?? "cancel") : stoppedBy };
  } finally {
    clearTimeout(timer);
    await events.drain();
    input.cancelSignal.removeEventListener("abort", onCancel);
    input.shutdownSignal?.removeEventListener("abort", onShutdown);
  }
}

async function runKind(
  input: EngineRunInput,
  withClient: WithClient,
  onEvent: (e: MigrationEvent) => void,
  signal: AbortSignal,
): Promise<Omit<EngineRunOutcome, "stoppedBy" | "pendingEvents">> {
  const common = { catalog: input.catalog, target: input.target, withClient, lockWaitMs: input.lockWaitMs, onEvent };
  const summaryOf = (r: { history?: HistoryRow[]; migrations: MigrationOutcome[] }) =>
    r.history ? summarizeTarget(input.catalog, input.target, historyAfterRun(input.catalog, r.history, r.migrations)) : null;
  // Applying and rolling back end the same way: blocked counts as failed, and the target's state
  // after the run is what its history now reads.
  const ranOn = (r: TargetRunResult) => ({
    status: r.status === "blocked" ? ("failed" as const) : r.status,
    migrations: r.migrations,
    appliedCount: r.appliedCount,
    error: r.error,
    durationMs: r.durationMs,
    summary: summaryOf(r),
  });
  if (input.kind === "migrate") {
    const r = await executeTarget({
      ...common,
      migrationIds: input.migrationIds,
      executionId: input.executionId,
      appliedBy: input.appliedBy,
      signal,
      whenLocked: input.checkCancelled,
    });
    return ranOn(r);
  }
  if (input.kind === "rollback" && input.dryRun) {
    const r = await rehearseRevert({ ...common, migrationIds: input.migrationIds, onlyExecutionId: input.onlyExecutionId, before: input.revertBefore });
    if (r.status === "would_revert") return { status: "succeeded", migrations: r.migrations, appliedCount: 0, durationMs: r.durationMs, summary: null };
    const failing = [...r.before.flatMap((b) => b.migrations.map((m) => ({ b, m }))), ...r.migrations.map((m) => ({ b: null, m }))].find(
      ({ m }) => m.status === "would_fail",
    );
    const error: TargetError | undefined =
      r.error ??
      (failing?.m.error
        ? failing.b
          ? { ...failing.m.error, message: `${failing.m.id} (rehearsed for ${failing.b.target.connectionName}/${failing.b.target.schemaName} first) would fail: ${failing.m.error.message}` }
          : failing.m.error
        : undefined);
    return { status: "failed", migrations: r.migrations, appliedCount: 0, error, durationMs: r.durationMs, summary: null };
  }
  if (input.kind === "rollback") {
    const r = await revertTarget({
      ...common,
      migrationIds: input.migrationIds,
      onlyExecutionId: input.onlyExecutionId,
      signal,
      whenLocked: input.checkCancelled,
    });
    return ranOn(r);
  }
  const r = await rehearseTarget({ ...common, migrationIds: input.migrationIds, providers: input.rehearsalProviders });
  if (r.status === "would_apply") {
    return { status: "succeeded", migrations: r.migrations, appliedCount: 0, durationMs: r.durationMs, summary: null };
  }
  const failing = r.migrations.find((m) => m.status === "would_fail");
  const providerFailing = r.providers.flatMap((p) => p.migrations.map((m) => ({ p, m }))).find(({ m }) => m.status === "would_fail");
  const error: TargetError | undefined =
    r.error ??
    failing?.error ??
    (providerFailing?.m.error
      ? { ...providerFailing.m.error, message: `${providerFailing.m.id} (rehearsed for ${providerFailing.p.target.connectionName}/${providerFailing.p.target.schemaName}) would fail: ${providerFailing.m.error.message}` }
      : undefined);
  return { status: "failed", migrations: r.migrations, appliedCount: 0, error, durationMs: r.durationMs, summary: null };
}

function migrationEvent(input: EngineRunInput, e: MigrationEvent): NewEvent {
  const own = e.target.connectionId === input.target.connectionId && e.target.schemaName === input.target.schemaName;
  const base = {
    target_id: input.targetId,
    target: input.label,
    migration_id: e.migrationId,
    mode: e.mode,
    ...(own ? {} : { on: `${e.target.connectionName}/${e.target.schemaName}` }),
  };
  if (e.type === "migration_started") return { type: "migration_started", payload: base };
  return {
    type: "migration_finished",
    payload: { ...base, status: e.status, duration_ms: e.durationMs, ...(e.error ? { error: e.error } : {}) },
  };
}

/** Ends a session that outlived its budget; its open transaction rolls back with it. */
async function endOverBudgetSession(connection: ResolvedConnection, pid: number) {
  try {
    await withFleetClient(connection, (client) => terminateBackend(client, pid), { discard: true });
  } catch (error) {
    getLogger().warn({ err: error, connection: connection.name, pid }, "stopping a target past its time budget failed");
  }
}
