import type { TargetMigrationResult } from "../../domain/executions";

/**
 * A target retried after a transient failure runs again from the top: what the first attempt
 * applied (or rolled back) now reads `skipped` (already done). The record keeps the earlier
 * attempt's outcome for those, so the execution still says exactly what it changed, which is what
 * rolling it back relies on.
 */
export function keepEarlierAttempts(
  earlier: readonly TargetMigrationResult[],
  latest: readonly TargetMigrationResult[],
): TargetMigrationResult[] {
  const idOf = (m: TargetMigrationResult) => m.id ?? `${m.tier}/${m.version}_${m.name}`;
  const done = new Map(earlier.filter((m) => m.status === "applied" || m.status === "rolled_back").map((m) => [idOf(m), m]));
  return latest.map((m) => (m.status === "skipped" && done.has(idOf(m)) ? { ...done.get(idOf(m))!, id: idOf(m) } : m));
}
