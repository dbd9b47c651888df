import { z } from "zod";
import { EXECUTION_KINDS, EXECUTION_STATUSES, MIGRATION_RESULT_STATUSES, SCOPES, TARGET_STATUSES } from "../../domain/executions";
import { TIERS } from "../../domain/fleet";
import { refineScope, scopeFields, ZScopeParamsView } from "../plans/scope";
import { ZPlanTotals, ZRelationMeasure, ZSizeReview } from "../plans/plan-schemas";
import { ZRolloutRequest, ZRolloutView } from "./rollout-schemas";
import { ZExecutionWindow, ZTargetWindowWait } from "./window-schemas";

/**
 * Executions as the API shows them: the original service's MigrationExecution (id, batch_id, scope,
 * status, targets, progress, started/completed at, executed_by, error_message, metadata) plus kind,
 * approval and cancel fields, and per-target results.
 */

const zBool = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

export const ZExecuteRequest = z
  .strictObject({
    ...scopeFields,
    dry_run: z.boolean().default(false).describe("rehearse: run each target's pending migrations in a transaction and roll back"),
    plan_fingerprint: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "plan_fingerprint must be the 64-character fingerprint of a plan")
      .optional()
      .describe("the fingerprint of the previewed plan: if the plan changed since, 409 plan_changed with what changed"),
    rollout: ZRolloutRequest.optional(),
  })
  .superRefine((v, ctx) => {
    refineScope(v, ctx);
    if (v.rollout && v.dry_run) {
      ctx.addIssue({ code: "custom", path: ["rollout"], message: "a rehearsal changes nothing and runs every target at once: waves are for executions" });
    }
  });
export type ExecuteRequest = z.infer<typeof ZExecuteRequest>;

export const ZExecutionIdParams = z.strictObject({ id: z.uuid({ message: "id must be a UUID" }) });

export const ZExecutionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  status: z.enum(EXECUTION_STATUSES).optional(),
  scope: z.enum(SCOPES).optional(),
  kind: z.enum(EXECUTION_KINDS).optional(),
  executed_by: z.string().min(1).max(200).optional(),
  dry_run: zBool.optional(),
  rollback_of: z.uuid({ message: "rollback_of must be an execution id" }).optional().describe("rollbacks of this execution"),
  retry_of: z.uuid({ message: "retry_of must be an execution id" }).optional().describe("retries of this execution"),
});
export type ExecutionListQuery = z.infer<typeof ZExecutionListQuery>;

export const ZExecutionStatusQuery = z.strictObject({
  target_status: z.enum(TARGET_STATUSES).optional().describe("only targets with this status"),
  target_limit: z.coerce.number().int().min(0).max(5_000).default(500),
  target_offset: z.coerce.number().int().min(0).default(0),
});
export type ExecutionStatusQuery = z.infer<typeof ZExecutionStatusQuery>;

export const ZTargetError = z.object({
  code: z.string().optional().describe("PostgreSQL SQLSTATE (42P07…), a socket code (ECONNREFUSED), or the console's own"),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  position: z.number().int().optional(),
  statement: z.string().optional(),
  detail: z.string().optional(),
  hint: z.string().optional(),
  transient: z.boolean().optional(),
});

export const ZTargetMigration = z.object({
  id: z.string(),
  version: z.string(),
  name: z.string(),
  tier: z.string(),
  checksum: z.string(),
  status: z.enum(MIGRATION_RESULT_STATUSES),
  duration_ms: z.number().int().nullable(),
  error: ZTargetError.nullable(),
  locks: z.array(z.string()).nullable().describe("rehearsal: locks the migration took on existing relations"),
  relations: z
    .array(ZRelationMeasure)
    .nullable()
    .describe("rehearsal: the existing tables the migration locked, with their sizes on the target before it ran"),
});

export const ZExecutionTarget = z.object({
  id: z.uuid(),
  position: z.number().int(),
  database_id: z.uuid(),
  connection_name: z.string(),
  database_name: z.string(),
  schema_name: z.string(),
  database_type: z.enum(TIERS),
  region: z.string().nullable(),
  tenant_id: z.uuid().nullable(),
  status: z.enum(TARGET_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  waiting_since: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  depends_on: z.array(z.uuid()).describe("targets of this execution that must succeed first"),
  wave: z.number().int().describe("its wave in a waved rollout (0 when the execution has no waves)"),
  migrations: z.array(ZTargetMigration),
  error: ZTargetError.nullable(),
  waiting_for_window: ZTargetWindowWait.nullable(),
});
export type ExecutionTargetView = z.infer<typeof ZExecutionTarget>;

export const ZProgress = z.object({
  total_targets: z.number().int(),
  completed_targets: z.number().int().describe("targets that succeeded"),
  failed_targets: z.number().int(),
  skipped_targets: z.number().int(),
  remaining_targets: z.number().int(),
  current_target: z.string().nullable(),
  estimated_completion: z.string().nullable(),
  completion_percentage: z.number().describe("finished targets (any outcome) out of all, 0–100"),
});

export const ZExecutionSummary = z.object({
  id: z.uuid(),
  batch_id: z.string().nullable(),
  kind: z.enum(EXECUTION_KINDS),
  scope: z.enum(SCOPES),
  params: ZScopeParamsView,
  status: z.enum(EXECUTION_STATUSES),
  dry_run: z.boolean(),
  plan_fingerprint: z.string().nullable(),
  awaiting_approval: z.boolean(),
  progress: ZProgress,
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  executed_by: z.string(),
  approved_by: z.string().nullable(),
  approved_at: z.string().nullable(),
  cancel_requested_at: z.string().nullable(),
  cancel_requested_by: z.string().nullable(),
  error_message: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).describe(
    "catalog_checksum, plan (the plan's totals, up-to-date targets included), rollback_of, target_ids and to_version " +
      "(rollbacks), rolled_back ({status_before, by, at}: an execution rolled back after it failed or was cancelled keeps " +
      "its failure here and in error_message), retry_of, schedule_id, subject (the database or tenant when it covers one), " +
      "migrations ({count, first, last}: the range it runs, in catalog order)…",
  ),
  rollout: ZRolloutView.nullable().describe("a waved rollout: its waves and their states, the halt rule, a halt and resumes; null when all targets run at once"),
});
export type ExecutionSummary = z.infer<typeof ZExecutionSummary>;

export const ZExecutionDetail = ZExecutionSummary.extend({
  targets: z.array(ZExecutionTarget).describe("the recorded targets (those with work), a page at a time"),
  targets_page: z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
  plan_totals: ZPlanTotals.nullable(),
  size_review: ZSizeReview.nullable().describe(
    "a finished rehearsal: statements that would hold a blocking lock on a large table, with the biggest targets and the estimated lock time",
  ),
  last_event_id: z.number().int().describe("newest event already reflected here: resume the event stream after it"),
  maintenance_window: ZExecutionWindow.describe("targets waiting for their maintenance window, and an admin's override"),
});
export type ExecutionDetail = z.infer<typeof ZExecutionDetail>;

export const ZExecutionList = z.object({
  executions: z.array(ZExecutionSummary),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
