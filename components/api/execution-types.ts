import type {
  ExecuteRequest,
  ExecutionDetail,
  ExecutionSummary,
  ExecutionTargetView,
} from "@/server/migrations/executions/execution-schemas";

/** The executions API's shapes, as the console reads them (types only: no server code in the bundle). */
export type { ExecuteRequest, ExecutionDetail, ExecutionSummary };
export type ExecutionTarget = ExecutionTargetView;
export type TargetMigration = ExecutionTarget["migrations"][number];
export type TargetError = NonNullable<ExecutionTarget["error"]>;
export type ExecutionProgress = ExecutionSummary["progress"];

export interface ExecutionList {
  executions: ExecutionSummary[];
  total: number;
  limit: number;
  offset: number;
}

/** The `details` of a 409 plan_changed: what moved between the reviewed plan and now. */
export interface PlanChangedDetails {
  pinned_fingerprint: string;
  current_fingerprint: string;
  changes: unknown;
}

export const TERMINAL_STATUSES: ReadonlyArray<ExecutionSummary["status"]> = ["completed", "failed", "cancelled", "rolled_back"];

export function isFinished(status: ExecutionSummary["status"]): boolean {
  return TERMINAL_STATUSES.includes(status);
}
