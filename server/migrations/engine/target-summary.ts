import type { TargetError } from "../../domain/executions";
import { countsAsApplied } from "../../domain/history";
import { compareVersions, versionKey, VersionSet } from "../../domain/versions";
import { blockingProblem } from "./target-run";
import type { Catalog, HistoryRow, Target } from "./types";

/**
 * A target's migration state in three figures, from its history and the catalog it was read with:
 * the highest version it counts as applied, how many of its tier's catalog migrations it counts as
 * applied (run or baselined), and what stops it (drift, an interrupted migration). Pure: the fleet
 * state store keeps these per target, and pages compare `appliedCount` with the catalog's count for
 * the tier when they read, so "behind" follows the catalog without rewriting every target.
 */
export interface TargetSummary {
  version: string | null;
  appliedCount: number;
  blocked: TargetError | null;
}

export function summarizeTarget(catalog: Catalog, target: Target, history: readonly HistoryRow[]): TargetSummary {
  const applied = history.filter((r) => countsAsApplied(r.state)).map((r) => r.version);
  const recorded = new VersionSet(applied);
  const appliedCount = catalog.byTier[target.tier].filter((m) => recorded.has(m.version)).length;
  const version = applied.reduce<string | null>((top, v) => (top === null || compareVersions(v, top) > 0 ? v : top), null);
  return { version, appliedCount, blocked: blockingProblem(catalog, target, history) };
}

/**
 * The history after a run, from the history read under the lock before it and what the run did:
 * applied migrations become applied rows, rolled back ones leave, and a `transaction: false` file
 * that failed part-way leaves a `failed` row (as the engine writes it). Enough for a summary
 * without reading the history a second time.
 */
export function historyAfterRun(
  catalog: Catalog,
  before: readonly HistoryRow[],
  outcomes: readonly { id: string; version: string; name: string; checksum: string; status: string }[],
): HistoryRow[] {
  const removed = new VersionSet(outcomes.filter((o) => o.status === "rolled_back").map((o) => o.version));
  const rows = new Map<string, HistoryRow>();
  for (const r of before) if (!removed.has(r.version)) rows.set(versionKey(r.version), r);
  const now = Date.now();
  for (const o of outcomes) {
    const state = o.status === "applied" ? "applied" : o.status === "failed" && catalog.byId.get(o.id)?.transactional === false ? "failed" : null;
    if (!state) continue;
    const key = versionKey(o.version);
    const row = rows.get(key);
    rows.set(key, row ? { ...row, state } : { version: o.version, name: o.name, checksum: o.checksum, appliedAtMs: now, executionId: null, durationMs: null, appliedBy: null, state });
  }
  return [...rows.values()];
}
