import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { targetStates } from "../db/schema";
import type { TargetError } from "../domain/executions";
import type { Tier } from "../domain/fleet";

export type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;
export type StateRow = typeof targetStates.$inferSelect;

/** What a read of a target's history says (a plan, a run, a baseline, a resolve). */
export interface SummaryWrite {
  connectionId: string;
  schemaName: string;
  tier: Tier;
  version: string | null;
  versionKey: string | null;
  appliedCount: number;
  blockedCode: string | null;
  blockedMessage: string | null;
  checkedAt: Date;
}

/** How an execution (not a rehearsal) ended on a target; with a summary when the run read the history. */
export interface RunWrite {
  connectionId: string;
  schemaName: string;
  tier: Tier;
  executionId: string;
  kind: "migrate" | "rollback";
  status: "succeeded" | "failed";
  error: TargetError | null;
  at: Date;
  summary: SummaryWrite | null;
}

/**
 * A tier's catalog as the list compares it: how many migrations it has, and whether a catalog
 * problem keeps it from being planned. Null when there is no catalog to compare with.
 */
export interface TierCount {
  count: number;
  broken: boolean;
}

const summaryColumns = (w: SummaryWrite) => ({
  tier: w.tier,
  version: w.version,
  versionKey: w.versionKey,
  appliedCount: w.appliedCount,
  blockedCode: w.blockedCode,
  blockedMessage: w.blockedMessage,
  checkedAt: w.checkedAt,
});

/** Rows per statement (one jsonb document each). */
const UPSERT_CHUNK = 5_000;

/**
 * Writes what reads of histories found, leaving the last-run columns alone. A row is rewritten
 * only when a figure changed (a plan of the whole fleet mostly finds what the rows already say, and
 * writes nothing for them), and never by a read older than the one that wrote it. Returns how many
 * rows were written.
 */
export async function upsertSummaries(db: Tx, rows: readonly SummaryWrite[]): Promise<number> {
  let written = 0;
  // Plain SQL: the rows travel as ONE jsonb parameter that jsonb_to_recordset expands on the
  // server. A builder's multi-row VALUES binds 9 parameters a row, and for a plan of 10,000 targets
  // building and binding them cost seconds, though most rows end up unchanged and unwritten.
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const chunk = rows.slice(i, i + UPSERT_CHUNK).map((w) => ({
      connection_id: w.connectionId,
      schema_name: w.schemaName,
      tier: w.tier,
      version: w.version,
      version_key: w.versionKey,
      applied_count: w.appliedCount,
      blocked_code: w.blockedCode,
      blocked_message: w.blockedMessage,
      checked_at: w.checkedAt.toISOString(),
    }));
    const result = await db.execute(sql`
      insert into console.target_states as s
        (connection_id, schema_name, tier, version, version_key, applied_count, blocked_code, blocked_message, checked_at)
      select t.connection_id, t.schema_name, t.tier, t.version, t.version_key, t.applied_count, t.blocked_code, t.blocked_message, t.checked_at
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as t(
        connection_id uuid, schema_name text, tier console.tier, version text, version_key text, applied_count integer,
        blocked_code text, blocked_message text, checked_at timestamptz)
      on conflict (connection_id, schema_name) do update set
        tier = excluded.tier, version = excluded.version, version_key = excluded.version_key,
        applied_count = excluded.applied_count, blocked_code = excluded.blocked_code,
        blocked_message = excluded.blocked_message, checked_at = excluded.checked_at
      -- A slower read finishing after a newer one (a plan racing a run) does not win.
      where (s.checked_at is null or s.checked_at <= excluded.checked_at)
        and (s.checked_at is null
          or (s.tier, s.version_key, s.applied_count, s.blocked_code, s.blocked_message)
             is distinct from (excluded.tier, excluded.version_key, excluded.applied_count, excluded.blocked_code, excluded.blocked_message))`);
    written += result.rowCount ?? 0;
  }
  return written;
}

/**
 * Refreshes the planner's statistics of the store. Autovacuum does so within a minute or so of a
 * large write; until then the Tenants list's state filters are planned for the table as it was
 * (empty, on a console's first plan: a nested loop of one index probe per state, 170–420 ms for a
 * region at 100,000 tenants, where a hash join takes a fraction).
 */
export async function analyzeTargetStates(db: Tx): Promise<void> {
  await db.execute(sql`analyze console.target_states`);
}

/** Records how a run ended on a target (and, when it read the history, its new figures). */
export async function recordRun(db: Tx, w: RunWrite): Promise<void> {
  const run = {
    lastExecutionId: w.executionId,
    lastRunKind: w.kind,
    lastRunStatus: w.status,
    lastRunAt: w.at,
    lastError: w.error,
  } as const;
  await db
    .insert(targetStates)
    .values({
      connectionId: w.connectionId,
      schemaName: w.schemaName,
      tier: w.tier,
      // A target first seen by a run that could not read its history: its figures stay unknown.
      ...(w.summary ? summaryColumns(w.summary) : {}),
      ...run,
    })
    .onConflictDoUpdate({
      target: [targetStates.connectionId, targetStates.schemaName],
      set: { ...run, ...(w.summary ? summaryColumns(w.summary) : {}) },
    });
}

/** Forgets a target (its schema was dropped): it reads "never read" until a plan reads it again. */
export async function deleteState(db: Tx, key: { connectionId: string; schemaName: string }): Promise<void> {
  await db.delete(targetStates).where(and(eq(targetStates.connectionId, key.connectionId), eq(targetStates.schemaName, key.schemaName)));
}

export async function findStates(db: Tx, keys: readonly { connectionId: string; schemaName: string }[]): Promise<StateRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(targetStates)
    .where(or(...keys.map((k) => and(eq(targetStates.connectionId, k.connectionId), eq(targetStates.schemaName, k.schemaName)))));
}

// ---------------------------------------------------------------------------------------------
// The fleet by tier and region (GET /api/migrations/fleet-state)

export interface StateGroupRow {
  tier: Tier;
  region: string | null;
  targets: number;
  at_head: number;
  behind: number;
  unknown: number;
  blocked: number;
  failed: number;
  pending_migrations: number;
}

/**
 * Every active target (live, active connections' own schemas and active tenants on them: what
 * plans cover) counted per tier and region against the catalog counts. One grouped scan of the
 * registry joined to the states; at 100,000 tenants a few tens of milliseconds.
 */
export async function stateGroups(
  db: Tx,
  counts: Record<Tier, TierCount> | null,
  filter: { connectionId?: string } = {},
): Promise<StateGroupRow[]> {
  const n = (tier: Tier) => counts?.[tier].count ?? 0;
  const need = sql`(case x.tier when 'admin' then ${n("admin")}::int when 'shared' then ${n("shared")}::int when 'analytics' then ${n("analytics")}::int else ${n("tenant")}::int end)`;
  const broken = Object.entries(counts ?? {})
    .filter(([, c]) => c.broken)
    .map(([t]) => t);
  const onConnection = (column: SQL) => (filter.connectionId ? sql`and ${column} = ${filter.connectionId}` : sql``);
  // Plain SQL: a union of two registrations grouped with filtered counts reads better than built.
  const result = await db.execute<StateGroupRow & Record<string, unknown>>(sql`
    with x as (
      select c.id as connection_id, c.schema_name, c.connection_type as tier, c.region
      from console.connections c
      where c.deleted_at is null and c.is_active and c.connection_type <> 'tenant' ${onConnection(sql`c.id`)}
      union all
      select t.connection_id, t.schema_name, 'tenant'::console.tier, t.region
      from console.tenants t
      join console.connections c on c.id = t.connection_id and c.deleted_at is null and c.is_active
      where t.status = 'active' ${onConnection(sql`t.connection_id`)}
    )
    select x.tier, x.region,
      count(*)::int as targets,
      count(*) filter (where s.checked_at is not null and s.applied_count >= ${need})::int as at_head,
      count(*) filter (where s.checked_at is not null and s.applied_count < ${need})::int as behind,
      count(*) filter (where s.checked_at is null)::int as unknown,
      count(*) filter (
        where s.blocked_code is not null
           or (s.checked_at is not null and x.tier::text = any(string_to_array(${broken.join(",")}, ',')) and s.applied_count < ${need})
      )::int as blocked,
      count(*) filter (where s.last_run_status = 'failed')::int as failed,
      coalesce(sum(greatest(${need} - s.applied_count, 0)) filter (where s.checked_at is not null), 0)::int as pending_migrations
    from x
    left join console.target_states s on s.connection_id = x.connection_id and s.schema_name = x.schema_name
    group by x.tier, x.region
    order by x.region nulls first, x.tier
  `);
  return result.rows as StateGroupRow[];
}
