import { getSettings } from "../../config/settings";
import { AppError } from "../../errors/app-error";
import { firstOf } from "../../errors/list-some";
import {
  assignWaves,
  haltReason,
  waveFinished,
  type HaltRule,
  type Rollout,
  type RolloutRequest,
  type WaveState,
} from "../../domain/rollouts";
import { enqueueTargetJobs } from "../../queue/job-queue";
import { tenantIdsTagged } from "../../tenants/service";
import { emitExecutionEvent } from "../../webhooks/emit";
import type { NewEvent } from "./events";
import { progressOf, rolloutView } from "./execution-view";
import * as repo from "./repository";

/**
 * Waved rollouts (DESIGN.md, Rollouts and guard rails): which wave each target is in, and what
 * happens when a wave's target ends. Every target of a waved execution is recorded at once (with
 * its wave), but only the running wave's targets have jobs; the next wave's jobs are queued, in the
 * transaction that counts the last target of the previous wave, to run after the soak. The halt
 * rule is checked in the same place: when the running wave's failures pass it, the execution turns
 * `halted` and queued targets stop being started (their jobs find it not in progress and end; a
 * resume queues them again). Counters per wave live in `executions.rollout`, changed only under
 * the execution's row lock like every other counter.
 */

/** The halt rule of a request, each limit it leaves out taken from the settings. */
export function haltRuleOf(request: RolloutRequest): HaltRule {
  const defaults = getSettings().migrations;
  const h = request.halt ?? {};
  return {
    maxFailedTargets: h.max_failed_targets === undefined ? defaults.haltMaxFailedTargets : h.max_failed_targets,
    maxFailedPercent: h.max_failed_percent === undefined ? defaults.haltMaxFailedPercent : h.max_failed_percent,
  };
}

/**
 * Puts each recorded target in its wave (`wave` set on the rows) and returns the rollout's first
 * state. Canary tenants named by id must be in the scope's plan (422 naming the field otherwise);
 * a canary tag must match at least one tenant of the plan. Blocked targets count as failures of
 * their wave from the start.
 */
export async function planRollout(
  request: RolloutRequest,
  targets: repo.NewTargetRow[],
  planned: { tenantIds: ReadonlySet<string> },
): Promise<Rollout> {
  const canary = request.waves[0]?.type === "canary" ? request.waves[0] : null;
  const canaryIds = new Set<string>();
  if (canary) {
    const fields: Array<{ field: string; message: string; code: string }> = [];
    (canary.tenant_ids ?? []).forEach((id, i) => {
      if (planned.tenantIds.has(id)) canaryIds.add(id);
      else fields.push({ field: `rollout.waves.0.tenant_ids.${i}`, message: `tenant ${id} is not an active tenant of this scope`, code: "custom" });
    });
    if (canary.tags?.length) {
      const tagged = await tenantIdsTagged(canary.tags);
      const inScope = [...tagged].filter((id) => planned.tenantIds.has(id));
      if (inScope.length === 0) {
        fields.push({ field: "rollout.waves.0.tags", message: `no tenant of this scope is tagged ${canary.tags.join(" or ")}`, code: "custom" });
      }
      for (const id of inScope) canaryIds.add(id);
    }
    if (fields.length > 0) {
      throw new AppError("validation_error", `invalid body: ${fields.slice(0, 3).map((f) => `${f.field}: ${f.message}`).join("; ")}`, {
        location: "body",
        fields: firstOf(fields),
      });
    }
  }
  const { waveOf, labels } = assignWaves(
    targets.map((t) => ({ tier: t.tier, tenantId: t.tenantId ?? null })),
    request.waves,
    canaryIds,
  );
  const waves: WaveState[] = labels.map((label) => ({
    label,
    total: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    acceptedFailures: 0,
    status: "pending",
    startsAt: null,
    completedAt: null,
  }));
  targets.forEach((t, i) => {
    const w = waves[waveOf[i]!]!;
    t.wave = waveOf[i]!;
    w.total += 1;
    if (t.status === "failed") w.failed += 1;
  });
  return { waves, current: 0, soakSeconds: request.soak_seconds ?? 0, halt: haltRuleOf(request), halted: null, resumes: [] };
}

/** The first wave starting now (an execution that starts at once, or one just approved). */
export function startFirstWave(rollout: Rollout, now: Date): Rollout {
  return patchWave(rollout, 0, { status: "running", startsAt: now.toISOString() });
}

/** Why the first wave halts the rollout before anything runs (its blocked targets pass the rule), or null. */
export const haltedAtStart = (rollout: Rollout): string | null => haltReason(rollout.waves[0]!, 0, rollout.halt);

/** The targets to queue when an execution starts: every pending one, or only the first wave's. */
export function queuedAtStart<T extends { status?: string | null; wave?: number | null }>(targets: readonly T[], rollout: Rollout | null): T[] {
  return targets.filter((t) => t.status === "pending" && (!rollout || (t.wave ?? 0) === rollout.current));
}

/** One more target of wave `wave` ended: its wave's counters. */
export function countInWave(rollout: Rollout, wave: number, delta: { completed?: number; failed?: number; skipped?: number }): Rollout {
  const w = rollout.waves[wave];
  if (!w) return rollout;
  return patchWave(rollout, wave, {
    succeeded: w.succeeded + (delta.completed ?? 0),
    failed: w.failed + (delta.failed ?? 0),
    skipped: w.skipped + (delta.skipped ?? 0),
  });
}

/** The waves as an execution ends: a finished wave completed, one that never ran skipped. */
export function finishRollout(rollout: Rollout, now: Date): Rollout {
  return {
    ...rollout,
    waves: rollout.waves.map((w) =>
      w.status === "completed" || w.status === "skipped"
        ? w
        : waveFinished(w) && w.status !== "pending"
          ? { ...w, status: "completed", completedAt: w.completedAt ?? now.toISOString() }
          : w.succeeded + w.failed > 0
            ? { ...w, status: "completed", completedAt: now.toISOString() }
            : { ...w, status: "skipped" },
    ),
  };
}

/**
 * After a target of an execution in progress ended (its counters already in `row`, not all
 * targets finished): halt when the running wave passes the halt rule, or, when it has finished,
 * start the next wave (its jobs due after the soak). Waves that are finished from the start (all
 * blocked) are passed over the same way. Writes the execution and queues jobs in `tx`; returns
 * the events to append and the row as it now is.
 */
export async function stepRollout(tx: repo.Tx, row: repo.ExecutionRow, now: Date): Promise<{ row: repo.ExecutionRow; events: NewEvent[] }> {
  if (!row.rollout || row.status !== "in_progress" || row.cancelRequestedAt) return { row, events: [] };
  let rollout = row.rollout;
  const events: NewEvent[] = [];
  for (;;) {
    const i = rollout.current;
    const wave = rollout.waves[i]!;
    const reason = haltReason(wave, i, rollout.halt);
    if (reason) return halt(tx, { ...row, rollout }, reason, now, events);
    if (!waveFinished(wave) || i + 1 >= rollout.waves.length) break;
    const startsAt = new Date(now.getTime() + rollout.soakSeconds * 1000);
    rollout = patchWave(patchWave(rollout, i, { status: "completed", completedAt: now.toISOString() }), i + 1, {
      status: "running",
      startsAt: startsAt.toISOString(),
    });
    rollout = { ...rollout, current: i + 1 };
    const next = rollout.waves[i + 1]!;
    events.push({
      type: "wave_started",
      payload: {
        wave: i + 1,
        label: next.label,
        total: next.total,
        starts_at: startsAt.toISOString(),
        soak_seconds: rollout.soakSeconds,
        rollout: rolloutView(rollout, now),
      },
    });
    const queued = await repo.pendingTargetsInWave(tx, row.id, i + 1);
    await enqueueTargetJobs(
      tx,
      queued.map((t) => ({ ...jobOf(t), runAt: rollout.soakSeconds > 0 ? startsAt : undefined })),
    );
  }
  if (rollout === row.rollout) return { row, events };
  await repo.updateExecution(tx, row.id, { rollout }, { returning: false });
  return { row: { ...row, rollout }, events };
}

async function halt(
  tx: repo.Tx,
  row: repo.ExecutionRow,
  reason: string,
  now: Date,
  events: NewEvent[],
): Promise<{ row: repo.ExecutionRow; events: NewEvent[] }> {
  const rollout = row.rollout!;
  const i = rollout.current;
  const halted: Rollout = { ...patchWave(rollout, i, { status: "halted" }), halted: { wave: i, reason, at: now.toISOString() } };
  const patch = { status: "halted" as const, rollout: halted, errorMessage: `halted: ${reason}`, estimatedCompletion: null };
  await repo.updateExecution(tx, row.id, patch, { returning: false });
  const after = { ...row, ...patch };
  events.push({
    type: "execution_halted",
    payload: { wave: i, label: halted.waves[i]!.label, reason, progress: progressOf(after), rollout: rolloutView(halted, now) },
  });
  await emitExecutionEvent(tx, "execution.halted", after);
  return { row: after, events };
}

function patchWave(rollout: Rollout, index: number, patch: Partial<WaveState>): Rollout {
  return { ...rollout, waves: rollout.waves.map((w, i) => (i === index ? { ...w, ...patch } : w)) };
}

export function withWavePatch(rollout: Rollout, index: number, patch: Partial<WaveState>): Rollout {
  return patchWave(rollout, index, patch);
}

const jobOf = (t: repo.TargetRow) => ({ executionId: t.executionId, targetId: t.id, connectionId: t.connectionId, position: t.position, tier: t.tier });

