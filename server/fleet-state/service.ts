import type { MigrationState } from "../contracts/migration-state";
import { getDb } from "../db/client";
import type { TargetError } from "../domain/executions";
import type { Tier } from "../domain/fleet";
import { versionKey } from "../domain/versions";
import { getLogger } from "../logging/logger";
import * as repo from "./repository";
import * as listRepo from "./tenant-list-repository";

/**
 * The fleet state store: per target, what the console last read of its history (highest version,
 * how many of its tier's catalog migrations it counts as applied, what blocks it) and how the last
 * execution ended there. Whatever reads or changes a history keeps it current (plans, a target's
 * job, baseline, resolve); lists read it instead of planning the fleet. See README.md here.
 */

export interface TargetKey {
  connectionId: string;
  schemaName: string;
  tier: Tier;
}

/** A target's figures from one read of its history (the engine's summarizeTarget). */
export interface Summary {
  version: string | null;
  appliedCount: number;
  blocked: Pick<TargetError, "code" | "message"> | null;
}

/** A tier of the catalog the lists compare with: its migration count, head version, and whether it is broken. */
export interface CatalogTier {
  count: number;
  head: string | null;
  broken: boolean;
}
export type CatalogTiers = Record<Tier, CatalogTier>;

const summaryWrite = (t: TargetKey, s: Summary, checkedAt: Date): repo.SummaryWrite => ({
  connectionId: t.connectionId,
  schemaName: t.schemaName,
  tier: t.tier,
  version: s.version,
  versionKey: s.version === null ? null : versionKey(s.version),
  appliedCount: s.appliedCount,
  blockedCode: s.blocked ? (s.blocked.code ?? "blocked") : null,
  blockedMessage: s.blocked?.message ?? null,
  checkedAt,
});

/** What reads of histories found (a plan, a baseline, a resolve), all read at `checkedAt`. */
export async function recordSummaries(entries: readonly { target: TargetKey; summary: Summary }[], checkedAt: Date): Promise<void> {
  if (entries.length === 0) return;
  const db = getDb();
  const written = await repo.upsertSummaries(
    db,
    entries.map((e) => summaryWrite(e.target, e.summary, checkedAt)),
  );
  // A large write (a console's first plan of a big fleet): statistics now rather than at
  // autovacuum's next turn. Best effort: the rows are written either way.
  if (written >= ANALYZE_AFTER_ROWS) {
    await repo.analyzeTargetStates(db).catch((error: unknown) => getLogger().warn({ err: error }, "refreshing the fleet state store's statistics failed"));
  }
}

/** Rows written by one record after which the store's statistics are refreshed at once. */
const ANALYZE_AFTER_ROWS = 10_000;

export interface RunRecord {
  target: TargetKey;
  executionId: string;
  kind: "migrate" | "rollback";
  /** `skipped` (cancelled) keeps the last run as it was and only records what the run left. */
  status: "succeeded" | "failed" | "skipped";
  error: TargetError | null;
  summary: Summary | null;
}

/** How an execution ended on a target, in the caller's transaction (the one settling the target). */
export async function recordRun(tx: repo.Tx, run: RunRecord): Promise<void> {
  const at = new Date();
  if (run.status === "skipped") {
    if (run.summary) await repo.upsertSummaries(tx, [summaryWrite(run.target, run.summary, at)]);
    return;
  }
  await repo.recordRun(tx, {
    connectionId: run.target.connectionId,
    schemaName: run.target.schemaName,
    tier: run.target.tier,
    executionId: run.executionId,
    kind: run.kind,
    status: run.status,
    error: run.error,
    at,
    summary: run.summary ? summaryWrite(run.target, run.summary, at) : null,
  });
}

/** The target's schema is gone (dropped by the console): nothing the console knew of it holds. */
export async function forgetTarget(key: { connectionId: string; schemaName: string }): Promise<void> {
  await repo.deleteState(getDb(), key);
}

export async function findStates(keys: readonly { connectionId: string; schemaName: string }[]): Promise<repo.StateRow[]> {
  return repo.findStates(getDb(), keys);
}

export function listTenantsWithState(query: listRepo.TenantStateQuery, tenantTier: CatalogTier | null) {
  return listRepo.listTenantsWithState(getDb(), query, tenantTier);
}

export function stateGroups(tiers: CatalogTiers | null, filter: { connectionId?: string } = {}) {
  return repo.stateGroups(getDb(), tiers, filter);
}

/** A stored state as lists show it, compared with its tier of the catalog (null: no catalog). */
export function toMigrationState(row: repo.StateRow, tier: CatalogTier | null): MigrationState {
  const known = row.checkedAt !== null;
  const pending = tier && known ? Math.max(tier.count - row.appliedCount, 0) : null;
  const blocked = row.blockedCode
    ? { code: row.blockedCode, message: row.blockedMessage ?? row.blockedCode }
    : tier?.broken && pending
      ? { code: "catalog_problem", message: `a catalog problem in the ${row.tier} tier keeps its targets from being planned` }
      : null;
  return {
    version: row.version,
    applied: known ? row.appliedCount : null,
    pending,
    head: tier?.head ?? null,
    at_head: pending === null ? null : pending === 0,
    blocked,
    checked_at: row.checkedAt?.toISOString() ?? null,
    last_run:
      row.lastExecutionId && row.lastRunKind && row.lastRunStatus && row.lastRunAt
        ? {
            execution_id: row.lastExecutionId,
            kind: row.lastRunKind,
            status: row.lastRunStatus,
            at: row.lastRunAt.toISOString(),
            error: row.lastError ?? null,
          }
        : null,
  };
}
