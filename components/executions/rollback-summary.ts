import type { ExecutionTarget } from "@/components/api/execution-types";

export interface RollbackSummary {
  /** Each migration to undo, newest first, with how many targets it is undone on. */
  migrations: Array<{ id: string; targets: number }>;
  /** Per target, the migrations undone in the order they are undone. */
  targets: Array<{ name: string; migrations: string[] }>;
  total: number;
}

/**
 * What rolling back an execution undoes: the migrations each target applied in it, in reverse
 * order (the server does the same and refuses up front if a down part is missing).
 */
export function rollbackSummary(targets: readonly ExecutionTarget[]): RollbackSummary {
  const perMigration = new Map<string, number>();
  const order: string[] = [];
  const perTarget: RollbackSummary["targets"] = [];
  let total = 0;
  for (const t of targets) {
    const applied = t.migrations.filter((m) => m.status === "applied").map((m) => m.id);
    if (applied.length === 0) continue;
    const undone = applied.reverse();
    perTarget.push({ name: `${t.connection_name}/${t.schema_name}`, migrations: undone });
    total += undone.length;
    for (const id of undone) {
      if (!perMigration.has(id)) order.push(id);
      perMigration.set(id, (perMigration.get(id) ?? 0) + 1);
    }
  }
  // Newest first across tiers too: version order within a tier, reversed.
  order.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return { migrations: order.map((id) => ({ id, targets: perMigration.get(id)! })), targets: perTarget, total };
}
