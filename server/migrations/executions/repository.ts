import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { executions, executionTargets } from "../../db/schema";
import { type ExecutionKind, type ExecutionStatus, type Scope, type TargetStatus } from "../../domain/executions";

/** SQL for executions and their targets. Plain functions over any drizzle handle (pool or transaction). */

export type ExecutionRow = typeof executions.$inferSelect;
export type NewExecutionRow = typeof executions.$inferInsert;
export type TargetRow = typeof executionTargets.$inferSelect;
export type NewTargetRow = typeof executionTargets.$inferInsert;
/** Column values; what the database itself must compute (attempt counts, first-start times) is a TransitionEffects. */
export type TargetPatch = Partial<Omit<NewTargetRow, "id" | "executionId">>;
export type ExecutionPatch = Partial<Omit<NewExecutionRow, "id">>;

export type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

export const TERMINAL_EXECUTION: readonly ExecutionStatus[] = ["completed", "failed", "cancelled", "rolled_back"];

export async function insertExecution(db: Tx, values: NewExecutionRow): Promise<ExecutionRow> {
  const [row] = await db.insert(executions).values(values).returning();
  return row!;
}

/**
 * An execution's targets, 5,000 rows per statement. Plain SQL: the rows travel as ONE jsonb
 * parameter that `jsonb_to_recordset` expands on the server. The builder's multi-row VALUES binds
 * some 17 parameters per row, and for 10,000 targets building and binding them cost seconds (most
 * of recording a large execution); the JSON document is one string. Only the columns an execution
 * sets at creation are taken; the others keep their defaults.
 */
export async function insertTargets(db: Tx, rows: NewTargetRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000).map((r) => ({
      id: r.id,
      execution_id: r.executionId,
      position: r.position,
      connection_id: r.connectionId,
      connection_name: r.connectionName,
      database_name: r.databaseName,
      schema_name: r.schemaName,
      tier: r.tier,
      region: r.region ?? null,
      tenant_id: r.tenantId ?? null,
      status: r.status ?? "pending",
      migrations: r.migrations ?? [],
      error: r.error ?? null,
      completed_at: r.completedAt instanceof Date ? r.completedAt.toISOString() : null,
      depends_on: r.dependsOn ?? [],
      wave: r.wave ?? 0,
    }));
    await db.execute(sql`
      insert into console.execution_targets
        (id, execution_id, position, connection_id, connection_name, database_name, schema_name, tier, region, tenant_id,
         status, migrations, error, completed_at, depends_on, wave)
      select coalesce(t.id, gen_random_uuid()), t.execution_id, t.position, t.connection_id, t.connection_name, t.database_name,
             t.schema_name, t.tier, t.region, t.tenant_id, t.status, t.migrations, t.error, t.completed_at, t.depends_on, t.wave
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as t(
        id uuid, execution_id uuid, position integer, connection_id uuid, connection_name text, database_name text,
        schema_name text, tier console.tier, region text, tenant_id uuid, status console.target_status, migrations jsonb,
        error jsonb, completed_at timestamptz, depends_on uuid[], wave integer)`);
  }
}

export async function findExecution(db: Tx, id: string): Promise<ExecutionRow | undefined> {
  const [row] = await db.select().from(executions).where(eq(executions.id, id));
  return row;
}

/** Locks the execution row until the transaction ends: counters and status change one at a time. */
export async function lockExecution(db: Tx, id: string): Promise<ExecutionRow | undefined> {
  const [row] = await db.select().from(executions).where(eq(executions.id, id)).for("update");
  return row;
}

/**
 * Locks an execution that may start a target (in progress, no cancel asked) and names that target
 * as its current one, in one statement; undefined (and nothing locked) when it may not. Under a
 * concurrent cancel the update waits for it and then finds the cancel: the same answer as locking
 * first and reading after.
 */
export async function lockExecutionForStart(db: Tx, id: string, currentTarget: string, now: Date): Promise<ExecutionRow | undefined> {
  const [row] = await db
    .update(executions)
    .set({ currentTarget, startedAt: sql`coalesce(${executions.startedAt}, ${now})` })
    .where(and(eq(executions.id, id), eq(executions.status, "in_progress"), isNull(executions.cancelRequestedAt)))
    .returning();
  return row;
}

export interface ExecutionFilter {
  limit: number;
  offset: number;
  status?: ExecutionStatus;
  scope?: Scope;
  kind?: ExecutionKind;
  executedBy?: string;
  dryRun?: boolean;
  rollbackOf?: string;
  retryOf?: string;
}

export async function listExecutions(db: Tx, f: ExecutionFilter): Promise<{ rows: ExecutionRow[]; total: number }> {
  const where: SQL[] = [];
  if (f.status) where.push(eq(executions.status, f.status));
  if (f.scope) where.push(eq(executions.scope, f.scope));
  if (f.kind) where.push(eq(executions.kind, f.kind));
  if (f.executedBy) where.push(eq(executions.executedBy, f.executedBy));
  if (f.dryRun !== undefined) where.push(eq(executions.dryRun, f.dryRun));
  if (f.rollbackOf) where.push(sql`${executions.metadata} ->> 'rollback_of' = ${f.rollbackOf}`);
  if (f.retryOf) where.push(sql`${executions.metadata} ->> 'retry_of' = ${f.retryOf}`);
  const condition = where.length ? and(...where) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(executions).where(condition).orderBy(desc(executions.createdAt), desc(executions.id)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(executions).where(condition),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export interface UpdateExecutionOptions {
  /** Compare-and-set: change the row only while it has this status (otherwise undefined comes back). */
  onlyIfStatus?: ExecutionStatus;
}

export function updateExecution(db: Tx, id: string, patch: ExecutionPatch, opts?: UpdateExecutionOptions): Promise<ExecutionRow | undefined>;
export function updateExecution(
  db: Tx,
  id: string,
  patch: ExecutionPatch,
  opts: UpdateExecutionOptions & { returning: false },
): Promise<void>;
/** `returning: false` skips sending the row back (the hot path knows it already). */
export async function updateExecution(
  db: Tx,
  id: string,
  patch: ExecutionPatch,
  opts: UpdateExecutionOptions & { returning?: boolean } = {},
): Promise<ExecutionRow | undefined | void> {
  const where = opts.onlyIfStatus ? and(eq(executions.id, id), eq(executions.status, opts.onlyIfStatus)) : eq(executions.id, id);
  if (opts.returning === false) {
    await db.update(executions).set(patch).where(where);
    return;
  }
  const [row] = await db.update(executions).set(patch).where(where).returning();
  return row;
}

/** Of `ids`, the executions someone asked to cancel. */
export async function findCancelRequested(db: Tx, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: executions.id })
    .from(executions)
    .where(and(inArray(executions.id, [...ids]), isNotNull(executions.cancelRequestedAt)));
  return rows.map((r) => r.id);
}

export interface TargetFilter {
  status?: TargetStatus;
  limit: number;
  offset: number;
}

export async function listTargets(db: Tx, executionId: string, f: TargetFilter): Promise<{ rows: TargetRow[]; total: number }> {
  const condition = f.status
    ? and(eq(executionTargets.executionId, executionId), eq(executionTargets.status, f.status))
    : eq(executionTargets.executionId, executionId);
  const [rows, [total]] = await Promise.all([
    db.select().from(executionTargets).where(condition).orderBy(asc(executionTargets.position)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(executionTargets).where(condition),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function allTargets(db: Tx, executionId: string): Promise<TargetRow[]> {
  return db.select().from(executionTargets).where(eq(executionTargets.executionId, executionId)).orderBy(asc(executionTargets.position));
}

export async function findTarget(db: Tx, id: string): Promise<TargetRow | undefined> {
  const [row] = await db.select().from(executionTargets).where(eq(executionTargets.id, id));
  return row;
}

export async function findTargets(db: Tx, ids: readonly string[]): Promise<TargetRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(executionTargets).where(inArray(executionTargets.id, [...ids]));
}

/**
 * The targets of every real (not rehearsed) rollback of an execution: what they undid is no longer
 * the original's. Plain SQL for the jsonb key, as in listExecutions.
 */
export async function rollbackTargetsOf(db: Tx, originalId: string): Promise<TargetRow[]> {
  return db
    .select({ t: executionTargets })
    .from(executionTargets)
    .innerJoin(executions, eq(executions.id, executionTargets.executionId))
    .where(
      and(
        eq(executions.kind, "rollback"),
        eq(executions.dryRun, false),
        sql`${executions.metadata} ->> 'rollback_of' = ${originalId}`,
      ),
    )
    .then((rows) => rows.map((r) => r.t));
}

/** Executions linked to `originalId` by a metadata key that are still pending or running. */
export async function activeLinkedExecutions(db: Tx, key: "rollback_of" | "retry_of", originalId: string): Promise<ExecutionRow[]> {
  return db
    .select()
    .from(executions)
    .where(
      and(
        inArray(executions.status, ["pending", "in_progress"]),
        eq(executions.dryRun, false),
        sql`${executions.metadata} ->> ${key} = ${originalId}`,
      ),
    );
}

/** The execution's targets on one database that are not tenants (a rehearsal's providers). */
export async function providerTargetsOf(db: Tx, executionId: string): Promise<TargetRow[]> {
  return db
    .select()
    .from(executionTargets)
    .where(and(eq(executionTargets.executionId, executionId), sql`${executionTargets.tier} <> 'tenant'`));
}

/** Changes a transition makes that the database computes from the row's current values. */
export interface TransitionEffects {
  /** One more attempt: `attempts + 1`, and `started_at` set now unless an earlier attempt set it. */
  beginAttempt?: boolean;
  /** The interrupted attempt does not count: `attempts - 1`, never below 0. */
  forgetAttempt?: boolean;
  /** `waiting_since` set now unless the target is already waiting (the first wait starts the clock). */
  startWaiting?: boolean;
}

/**
 * Moves a target from one of `from` to a new state, or does nothing (undefined) when another
 * worker, a cancel or a duplicate job got there first: every transition is a compare-and-set.
 */
export async function transitionTarget(
  db: Tx,
  id: string,
  from: readonly TargetStatus[],
  patch: TargetPatch,
  effects: TransitionEffects = {},
): Promise<TargetRow | undefined> {
  const [row] = await db
    .update(executionTargets)
    .set({
      ...patch,
      // Plain SQL: computed from the row's own values in the same statement as the compare-and-set.
      ...(effects.beginAttempt
        ? { attempts: sql`${executionTargets.attempts} + 1`, startedAt: sql`coalesce(${executionTargets.startedAt}, now())` }
        : {}),
      ...(effects.forgetAttempt ? { attempts: sql`greatest(${executionTargets.attempts} - 1, 0)` } : {}),
      ...(effects.startWaiting ? { waitingSince: sql`coalesce(${executionTargets.waitingSince}, now())` } : {}),
    })
    .where(and(eq(executionTargets.id, id), inArray(executionTargets.status, [...from])))
    .returning();
  return row;
}

/** Every queued target of an execution becomes skipped (a cancel); returns their ids. */
export async function skipQueuedTargets(db: Tx, executionId: string, error: TargetPatch["error"]): Promise<string[]> {
  const rows = await db
    .update(executionTargets)
    .set({ status: "skipped", error, completedAt: new Date(), nextAttemptAt: null })
    .where(and(eq(executionTargets.executionId, executionId), eq(executionTargets.status, "pending")))
    .returning({ id: executionTargets.id });
  return rows.map((r) => r.id);
}

export async function pendingTargets(db: Tx, executionId: string): Promise<TargetRow[]> {
  return db
    .select()
    .from(executionTargets)
    .where(and(eq(executionTargets.executionId, executionId), eq(executionTargets.status, "pending")))
    .orderBy(asc(executionTargets.position));
}

/** The queued targets of one wave of a waved rollout, in plan order. */
export async function pendingTargetsInWave(db: Tx, executionId: string, wave: number): Promise<TargetRow[]> {
  return db
    .select()
    .from(executionTargets)
    .where(and(eq(executionTargets.executionId, executionId), eq(executionTargets.status, "pending"), eq(executionTargets.wave, wave)))
    .orderBy(asc(executionTargets.position));
}

/** Failed targets of one wave, except those blocked at planning: what resuming a halted rollout runs again. */
export async function failedTargetsInWave(db: Tx, executionId: string, wave: number): Promise<TargetRow[]> {
  return db
    .select()
    .from(executionTargets)
    .where(
      and(
        eq(executionTargets.executionId, executionId),
        eq(executionTargets.status, "failed"),
        eq(executionTargets.wave, wave),
        sql`coalesce(${executionTargets.error} ->> 'code', '') <> 'blocked'`,
      ),
    )
    .orderBy(asc(executionTargets.position));
}

/** Targets back to queued for another try (resuming a halted wave): error and timings cleared, attempts counted afresh. */
export async function requeueTargets(db: Tx, ids: readonly string[]): Promise<TargetRow[]> {
  if (ids.length === 0) return [];
  return db
    .update(executionTargets)
    .set({ status: "pending", error: null, completedAt: null, durationMs: null, attempts: 0, nextAttemptAt: null, waitingSince: null })
    .where(and(inArray(executionTargets.id, [...ids]), eq(executionTargets.status, "failed")))
    .returning();
}

/** How many targets of an execution are running now. */
export async function countRunningTargets(db: Tx, executionId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(executionTargets)
    .where(and(eq(executionTargets.executionId, executionId), eq(executionTargets.status, "running")));
  return row?.n ?? 0;
}

/**
 * Executions not yet ended that still have to run on one target (by tenant, or by database and
 * schema): what must finish or be cancelled before the target's schema may be dropped.
 */
export async function activeExecutionsOnTarget(
  db: Tx,
  t: { tenantId: string; connectionId: string; schemaName: string },
): Promise<Array<{ id: string; status: ExecutionStatus }>> {
  return db
    .select({ id: executions.id, status: executions.status })
    .from(executionTargets)
    .innerJoin(executions, eq(executions.id, executionTargets.executionId))
    .where(
      and(
        inArray(executions.status, ["pending", "in_progress", "halted"]),
        inArray(executionTargets.status, ["pending", "running"]),
        or(
          eq(executionTargets.tenantId, t.tenantId),
          and(eq(executionTargets.connectionId, t.connectionId), eq(executionTargets.schemaName, t.schemaName)),
        ),
      ),
    )
    .groupBy(executions.id, executions.status)
    .orderBy(asc(executions.id))
    .limit(20);
}
