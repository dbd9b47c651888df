import { getDb } from "../db/client";
import { violatedUniqueConstraint } from "../databases/pg-constraint";
import { AppError, conflict, notFound } from "../errors/app-error";
import { getLogger } from "../logging/logger";
import { discoverTargets } from "../migrations/plans/discover-targets";
import { createExecution } from "../migrations/executions/create-execution";
import { fromExecutionParams, scopeParamsView, toExecutionParams, type ScopeInput } from "../migrations/plans/scope";
import { cronProblem, nextRun, nextRuns } from "../domain/schedule-times";
import { emitScheduleFired } from "../webhooks/emit";
import * as repo from "./repository";
import type { Schedule, ScheduleCreate, ScheduleUpdate } from "./schemas";

/**
 * Schedules: create, list, change, enable/disable, delete, and fire. Firing plans and executes
 * the schedule's scope through the same service as POST /api/migrations/execute (so approval,
 * rehearsal and blocked targets behave the same), as `schedule:<name>`, with
 * `metadata.schedule_id`. Any number of console instances fire schedules; a compare-and-set on
 * next_run_at inside the transaction that records the execution makes each firing happen once,
 * and the `schedule.fired` webhook event is emitted in that same transaction.
 */

const NEXT_RUNS = 5;

export async function createSchedule(input: ScheduleCreate, actor: string): Promise<Schedule> {
  const scope = scopeOf(input);
  await discoverTargets(scope); // unknown region, tenant or database: refused now, not at 3 a.m.
  const runAt = input.run_at ? new Date(input.run_at) : null;
  const row = await uniqueName(() =>
    repo.insertSchedule(getDb(), {
      name: input.name,
      scope: input.scope,
      params: toExecutionParams(scope),
      cronExpression: input.cron ?? null,
      timezone: input.timezone,
      runAt,
      enabled: input.enabled,
      dryRun: input.dry_run,
      nextRunAt: input.enabled ? firstRun(input.cron ?? null, input.timezone, runAt) : null,
      metadata: input.metadata,
      rollout: input.rollout ?? null,
      createdBy: actor,
      updatedBy: actor,
    }),
  );
  return scheduleView(row);
}

export async function listSchedules(filter: { enabled?: boolean; limit: number; offset: number }) {
  const { rows, total } = await repo.listSchedules(getDb(), filter);
  return { schedules: rows.map(scheduleView), total, limit: filter.limit, offset: filter.offset };
}

export async function getScheduleOrThrow(id: string): Promise<Schedule> {
  return scheduleView(await rowOrThrow(id));
}

export async function updateSchedule(id: string, input: ScheduleUpdate, actor: string): Promise<Schedule> {
  const current = await rowOrThrow(id);
  const cron = input.run_at !== undefined ? null : (input.cron ?? current.cronExpression);
  const runAt = input.cron !== undefined ? null : input.run_at !== undefined ? new Date(input.run_at) : current.runAt;
  const timezone = input.timezone ?? current.timezone;
  if (cron) {
    const problem = cronProblem(cron, timezone);
    if (problem) throw fieldError(input.cron !== undefined ? "cron" : "timezone", problem);
  }
  let scope: ScopeInput | null = null;
  if (input.scope !== undefined) {
    scope = scopeOf({ ...input, scope: input.scope });
    await discoverTargets(scope);
  }
  const enabled = input.enabled ?? current.enabled;
  const timingChanged = input.cron !== undefined || input.run_at !== undefined || input.timezone !== undefined;
  const reenabled = enabled && !current.enabled;
  const nextRunAt = !enabled ? null : timingChanged || reenabled || !current.nextRunAt ? firstRun(cron, timezone, runAt) : current.nextRunAt;
  const row = await uniqueName(() =>
    repo.updateSchedule(getDb(), id, {
      name: input.name ?? current.name,
      enabled,
      dryRun: input.dry_run ?? current.dryRun,
      cronExpression: cron,
      runAt,
      timezone,
      nextRunAt,
      ...(scope ? { scope: scope.scope, params: toExecutionParams(scope) } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      ...(input.rollout !== undefined ? { rollout: input.rollout } : {}),
      updatedBy: actor,
      updatedAt: new Date(),
    }),
  );
  if (!row) throw notFound("schedule", id);
  return scheduleView(row);
}

export async function deleteSchedule(id: string): Promise<void> {
  if (!(await repo.deleteSchedule(getDb(), id))) throw notFound("schedule", id);
}

export type FiringOutcome = { schedule: string; outcome: "fired"; executionId: string } | { schedule: string; outcome: "taken" | "failed"; error?: string };

/**
 * Fires every schedule that is due (called in a loop by each console instance). A firing whose
 * planning fails (the region is gone, the catalog does not load) is consumed and its reason kept
 * in `last_error`, so a broken schedule does not retry every few seconds; the next occurrence
 * tries again.
 */
export async function fireDueSchedules(now = new Date()): Promise<FiringOutcome[]> {
  const due = await repo.listDue(getDb(), now, 20);
  const outcomes: FiringOutcome[] = [];
  for (const schedule of due) outcomes.push(await fireSchedule(schedule, now));
  return outcomes;
}

async function fireSchedule(s: repo.ScheduleRow, now: Date): Promise<FiringOutcome> {
  const due = s.nextRunAt!;
  const after = due > now ? due : now;
  // Missed occurrences (the console was down) are not made up for: one firing, then the next one
  // after now.
  const next = s.cronExpression ? nextRun(s.cronExpression, s.timezone, after) : null;
  try {
    const execution = await createExecution({
      scope: fromExecutionParams(s.scope, s.params),
      dryRun: s.dryRun,
      executedBy: `schedule:${s.name}`,
      metadata: { schedule_id: s.id, schedule_name: s.name, scheduled_for: due.toISOString() },
      rollout: s.rollout && !s.dryRun ? s.rollout : undefined,
      claim: async (tx, executionId) => {
        if (!(await repo.claimFiring(tx, s.id, due, { next, executionId, error: null }))) return false;
        await emitScheduleFired(tx, { id: s.id, name: s.name, scheduledFor: due }, { executionId });
        return true;
      },
    });
    if (!execution) {
      getLogger().debug({ schedule: s.name }, "schedule firing taken by another instance");
      return { schedule: s.name, outcome: "taken" };
    }
    getLogger().info({ schedule: s.name, executionId: execution.id, status: execution.status }, "schedule fired");
    return { schedule: s.name, outcome: "fired", executionId: execution.id };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const claimed = await getDb().transaction(async (tx) => {
      if (!(await repo.claimFiring(tx, s.id, due, { next, executionId: null, error: message }))) return false;
      await emitScheduleFired(tx, { id: s.id, name: s.name, scheduledFor: due }, { error: message });
      return true;
    });
    if (claimed) getLogger().warn({ schedule: s.name, err: error }, "schedule could not start an execution");
    return { schedule: s.name, outcome: claimed ? "failed" : "taken", error: message };
  }
}

function firstRun(cron: string | null, timezone: string, runAt: Date | null): Date | null {
  if (cron) return nextRun(cron, timezone, new Date());
  return runAt && runAt > new Date() ? runAt : null;
}

function scopeOf(v: Pick<ScheduleCreate, "scope" | "region" | "tenant_ids" | "database_id" | "schema_name" | "tenant_id">): ScopeInput {
  return fromExecutionParams(v.scope, toExecutionParams(v as ScopeInput));
}

async function rowOrThrow(id: string): Promise<repo.ScheduleRow> {
  const row = await repo.findSchedule(getDb(), id);
  if (!row) throw notFound("schedule", id);
  return row;
}

async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (violatedUniqueConstraint(error) === "schedules_name_uq") throw conflict("a schedule with this name already exists", { field: "name" });
    throw error;
  }
}

const fieldError = (field: string, message: string) =>
  new AppError("validation_error", message, { location: "body", fields: [{ field, message, code: "custom" }] });

export function scheduleView(row: repo.ScheduleRow): Schedule {
  const upcoming =
    row.nextRunAt && row.cronExpression
      ? [row.nextRunAt, ...nextRuns(row.cronExpression, row.timezone, row.nextRunAt, NEXT_RUNS - 1)]
      : row.nextRunAt
        ? [row.nextRunAt]
        : [];
  const lastError = row.metadata.last_error;
  const { last_error: _omit, ...metadata } = row.metadata;
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    params: scopeParamsView(row.params),
    cron: row.cronExpression,
    timezone: row.timezone,
    run_at: row.runAt?.toISOString() ?? null,
    enabled: row.enabled,
    dry_run: row.dryRun,
    next_run_at: row.nextRunAt?.toISOString() ?? null,
    next_runs: upcoming.map((d) => d.toISOString()),
    last_run_at: row.lastRunAt?.toISOString() ?? null,
    last_execution_id: row.lastExecutionId,
    last_error: typeof lastError === "string" ? lastError : null,
    metadata,
    rollout: row.rollout ? { ...row.rollout, soak_seconds: row.rollout.soak_seconds ?? 0 } : null,
    created_by: row.createdBy,
    updated_by: row.updatedBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
