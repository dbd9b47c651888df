import type { ExecutionStatus, TargetMigrationResult } from "../../domain/executions";
import * as repo from "./repository";

/**
 * What an execution applied that no rollback has undone yet, as the control plane records it. An
 * execution can be rolled back in parts (one target, then the rest), and a rollback can itself fail
 * half-way, so "what is left to undo" is the original's applied migrations per target minus what its
 * real rollbacks undid on that target: migrations they rolled back, and those a rollback target
 * that succeeded found not applied by the original any more (reverted another way, say).
 */

export interface StillApplied {
  target: repo.TargetRow;
  /** The original's applied migrations on this target that are still to undo, in the order applied. */
  applied: TargetMigrationResult[];
  /** How many it applied at all, undone or not. */
  appliedTotal: number;
}

/** The statuses an original can be in for its rollback to make it `rolled_back`. */
/** `halted`: a waved rollout stopped by its halt rule (rolling it back for real ends it first, resume-execution.ts). */
export const ROLLBACK_SOURCE_STATUSES: readonly ExecutionStatus[] = ["completed", "failed", "cancelled", "halted"];

const idOf = (m: TargetMigrationResult) => m.id ?? `${m.tier}/${m.version}_${m.name}`;
const keyOf = (t: { connectionId: string; schemaName: string }) => `${t.connectionId}/${t.schemaName}`;

export async function stillApplied(db: repo.Tx, originalId: string): Promise<StillApplied[]> {
  const [targets, rollbacks] = await Promise.all([repo.allTargets(db, originalId), repo.rollbackTargetsOf(db, originalId)]);
  return remainingAfter(targets, rollbacks);
}

/** The pure part of stillApplied: the original's targets against its rollbacks' targets. */
export function remainingAfter(targets: readonly repo.TargetRow[], rollbacks: readonly repo.TargetRow[]): StillApplied[] {
  const undone = new Map<string, Set<string>>();
  for (const r of rollbacks) {
    const set = undone.get(keyOf(r)) ?? new Set<string>();
    for (const m of r.migrations) {
      if (m.status === "rolled_back" || (m.status === "skipped" && r.status === "succeeded")) set.add(idOf(m));
    }
    undone.set(keyOf(r), set);
  }
  return targets.map((target) => {
    const applied = target.migrations.filter((m) => m.status === "applied");
    const gone = undone.get(keyOf(target));
    return { target, applied: gone ? applied.filter((m) => !gone.has(idOf(m))) : applied, appliedTotal: applied.length };
  });
}

/**
 * Called when a real rollback of `originalId` completes (inside its final transaction, with its
 * own execution row locked): once nothing the original applied is left, the original reads
 * `rolled_back`. A failed or cancelled original keeps its error message, and `metadata.rolled_back`
 * records what it was before ({status_before, by, at}), so its failure stays visible.
 */
export async function markRolledBackWhenUndone(tx: repo.Tx, originalId: string, rollbackId: string, at: Date): Promise<boolean> {
  const original = await repo.lockExecution(tx, originalId);
  if (!original || !ROLLBACK_SOURCE_STATUSES.includes(original.status)) return false;
  const left = await stillApplied(tx, originalId);
  if (left.some((l) => l.applied.length > 0)) return false;
  const updated = await repo.updateExecution(
    tx,
    originalId,
    {
      status: "rolled_back",
      metadata: { ...original.metadata, rolled_back: { status_before: original.status, by: rollbackId, at: at.toISOString() } },
    },
    { onlyIfStatus: original.status },
  );
  return !!updated;
}
