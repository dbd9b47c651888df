import "server-only";
import { getPool } from "../db/client";
import { EXECUTION_STATUSES, type ExecutionStatus } from "../domain/executions";
import { CONTROL_PLANE_TIMEOUT_MS } from "./control-plane";
import { countExecutionsByKindAndStatus, type ExecutionCountRow } from "./repository";
import { withTimeout } from "./timeout";

/**
 * Executions and their targets by kind and status, from the executions table (one row per
 * execution, so this stays cheap however many targets the fleet has). Computed when asked rather
 * than counted in memory, so every console instance and every standalone worker is included.
 */
export async function executionCounts(): Promise<ExecutionCountRow[]> {
  return withTimeout(countExecutionsByKindAndStatus(getPool()), CONTROL_PLANE_TIMEOUT_MS, "the control-plane database");
}

/** Every status with its count (0 included), whatever the kind. */
export function countByStatus(rows: readonly ExecutionCountRow[]): Record<ExecutionStatus, number> {
  const out = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
  for (const row of rows) out[row.status] += row.executions;
  return out;
}

