/**
 * The words of plans and executions, shared by the control-plane tables, the engine, the services
 * and the dashboard: scopes, statuses, kinds, and the shapes of a target's per-migration results and
 * errors as the control plane stores them. No imports: anything may depend on this file.
 */
/** `halted`: a waved rollout stopped starting targets by its halt rule, until an operator resumes or rolls back. */
export const EXECUTION_STATUSES = ["pending", "in_progress", "completed", "failed", "rolled_back", "cancelled", "halted"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const TARGET_STATUSES = ["pending", "running", "succeeded", "failed", "skipped"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export const SCOPES = ["all", "admin", "regional", "tenant", "single"] as const;
export type Scope = (typeof SCOPES)[number];
export const EXECUTION_KINDS = ["migrate", "rehearsal", "rollback"] as const;
export type ExecutionKind = (typeof EXECUTION_KINDS)[number];

/**
 * One migration's outcome on one target: `applied` / `rolled_back` by an execution or a rollback,
 * `would_apply` / `would_revert` / `would_fail` / `not_rehearsable` in a rehearsal (of applying or
 * of rolling back), `skipped` when there was nothing to do (already applied; for a rollback, not
 * applied by that execution any more).
 */
export const MIGRATION_RESULT_STATUSES = [
  "pending",
  "applied",
  "failed",
  "skipped",
  "would_apply",
  "would_revert",
  "would_fail",
  "not_rehearsable",
  "rolled_back",
] as const;

/** What narrows an execution's scope (the request's region, tenant ids, database and schema). */
export interface ExecutionParams {
  region?: string;
  tenantIds?: string[];
  databaseId?: string;
  schemaName?: string;
  tenantId?: string;
  /** The scope was extended by the providers its targets need (see include_providers). */
  includeProviders?: boolean;
}

/** One migration's outcome on one target, as the control plane keeps it. */
/**
 * One existing table a rehearsed migration locked, as measured on the target before it ran:
 * `rows` is the planner's estimate (pg_class.reltuples; null when never analyzed), `bytes` the
 * table's main fork (pg_relation_size), `lock` the strongest mode taken, `rewritten` whether the
 * migration gave the table a new file (a rewrite).
 */
export interface RelationMeasure {
  name: string;
  lock: string;
  rows: number | null;
  bytes: number;
  rewritten: boolean;
}

export interface TargetMigrationResult {
  /** `<tier>/<version>_<name>`, the catalog id (older rows may lack it: derive it from the parts). */
  id?: string;
  version: string;
  name: string;
  tier: string;
  checksum: string;
  status: (typeof MIGRATION_RESULT_STATUSES)[number];
  durationMs?: number;
  error?: TargetError;
  locks?: string[];
  /** Rehearsal: the existing tables the migration locked, with their sizes on the target. */
  relations?: RelationMeasure[];
}

/** Why a target or a migration failed: PostgreSQL's code, message and where in which file. */
export interface TargetError {
  code?: string;
  message: string;
  file?: string;
  line?: number;
  position?: number;
  statement?: string;
  detail?: string;
  hint?: string;
  transient?: boolean;
}
