import "server-only";
import { getPool } from "../db/client";
import { type EXECUTION_KINDS, EXECUTION_STATUSES } from "../domain/executions";
import { CONTROL_PLANE_TIMEOUT_MS } from "./control-plane";
import { withTimeout } from "./timeout";

type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
type ExecutionKind = (typeof EXECUTION_KINDS)[number];

export interface ExecutionCountRow {
  kind: ExecutionKind;
  status: ExecutionStatus;
  executions: number;
  /** Targets of those executions by result (the executions' own counters). */
  succeeded_targets: number;
  failed_targets: number;
  skipped_targets: number;
}

/**
 * Executions and their targets by kind and status, from the executions table (one row per
 * execution, so this stays cheap however many targets the fleet has). Computed when asked rather
 * than counted in memory, so every console instance and every standalone worker is included.
 */
export async function executionCounts(): Promise<ExecutionCountRow[]> {
  const { rows } = await withTimeout(
    getPool().query<ExecutionCountRow>(
      `select kind::text as kind, status::text as status, count(*)::int as executions,
              coalesce(sum(completed_targets), 0)::int as succeeded_targets,
              coalesce(sum(failed_targets), 0)::int as failed_targets,
              coalesce(sum(skipped_targets), 0)::int as skipped_targets
         from console.executions
        group by kind, status`,
    ),
    CONTROL_PLANE_TIMEOUT_MS,
    "the control-plane database",
  );
  return rows;
}

/** Every status with its count (0 included), whatever the kind. */
export function countByStatus(rows: readonly ExecutionCountRow[]): Record<ExecutionStatus, number> {
  const out = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
  for (const row of rows) out[row.status] += row.executions;
  return out;
}

