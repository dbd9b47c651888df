import { z } from "zod";
import { TIERS } from "../../domain/fleet";
import { HISTORY_STATES } from "../../domain/history";
import { REVIEW_LEVELS, SIZE_RULES } from "../../domain/review";
import { ZMigrationState } from "../../contracts/migration-state";
import { refineScope, scopeFields, targetScopeFields, ZScopeParamsView } from "./scope";

/**
 * Response shapes of the catalog, target discovery and plan endpoints (one definition for the
 * routes, the OpenAPI document and the dashboard's client).
 */

const zTier = z.enum(TIERS);

const zLevel = z.enum(REVIEW_LEVELS).describe("the review policy's level: warn, require_approval (a second operator approves) or block");

export const ZLintWarning = z.object({
  code: z.string(),
  message: z.string(),
  migration_id: z.string(),
  file: z.string(),
  line: z.number().int(),
  level: zLevel,
});

export const ZRelationMeasure = z.object({
  name: z.string().describe("<schema>.<table>"),
  lock: z.string().describe("the strongest lock mode the migration took on it, e.g. AccessExclusiveLock"),
  rows: z.number().nullable().describe("pg_class.reltuples before the rehearsal; null when the table was never analyzed"),
  bytes: z.number().describe("pg_relation_size before the rehearsal"),
  rewritten: z.boolean().describe("the migration rewrote the table (gave it a new file)"),
});

export const ZSizeFlag = z.object({
  rule: z.enum(SIZE_RULES),
  level: zLevel,
  migration_id: z.string(),
  file: z.string(),
  line: z.number().int().describe("the statement's line in the file"),
  relation: z.string().describe("the table, unqualified"),
  lock: z.string().describe("the strongest lock mode measured"),
  message: z.string(),
  targets: z.number().int().describe("rehearsed targets where the table is over the threshold"),
  max_rows: z.number().nullable(),
  max_bytes: z.number(),
  ms_per_row: z.number().nullable().describe("the migration's measured duration per row of the table, over those targets"),
  biggest: z
    .array(
      z.object({
        target: z.string().describe("<connection name>/<schema>"),
        database_id: z.string(),
        schema_name: z.string(),
        rows: z.number().nullable(),
        bytes: z.number(),
        duration_ms: z.number().nullable().describe("the migration's measured duration there"),
        estimated_lock_ms: z.number().nullable().describe("rows × ms_per_row: how long the lock would be held"),
        execution_id: z.string().describe("the rehearsal that measured it"),
      }),
    )
    .describe("the largest targets first (at most 3)"),
});

export const ZSizeReview = z.object({
  rehearsed_targets: z.number().int().describe("targets whose sizes come from a rehearsal of the same files"),
  thresholds: z.object({ access_exclusive_rows: z.number(), rewrite_bytes: z.number(), index_rows: z.number() }),
  flags: z.array(ZSizeFlag),
});
export type SizeReviewView = z.infer<typeof ZSizeReview>;

export const ZPlanReview = z.object({
  outcome: z.enum(["warn", "require_approval", "block"]).nullable().describe("the strongest level of the plan's findings; null when none"),
  policy: z.string().nullable().describe("the review policy's file; null for the default (every finding warns)"),
  require_rehearsal_within_hours: z.number().int().nullable(),
  last_passed_rehearsal: z
    .object({ id: z.string(), completed_at: z.string() })
    .nullable()
    .describe("the latest rehearsal of this plan's fingerprint that completed, within the policy's hours"),
  size: ZSizeReview,
});

const ZStatement = z.object({
  sql: z.string(),
  line: z.number().int(),
  kind: z.string(),
  relations: z.array(z.string()).describe("relations the statement names, unqualified"),
});
const ZPart = z.object({ line: z.number().int(), statements: z.array(ZStatement) });

export const ZCatalogMigration = z.object({
  id: z.string().describe("<tier>/<version>_<name>: what `-- requires:` names"),
  tier: zTier,
  version: z.string(),
  name: z.string(),
  file: z.string().describe("path relative to MIGRATIONS_DIR"),
  checksum: z.string().describe("sha256 of the file"),
  requires: z.array(z.string()),
  transactional: z.boolean(),
  timeout_ms: z.number().int().nullable().describe("the file's `-- timeout:`; null = MIGRATION_TIMEOUT"),
  has_down: z.boolean().describe("false: irreversible (no down part, or an empty one); a rollback refuses it"),
  warnings: z.array(ZLintWarning),
  source: z.string().describe("the file's text"),
  up: ZPart,
  down: ZPart.nullable(),
});

export const ZCatalogProblem = z.object({
  code: z.string().describe("e.g. syntax_error, duplicate_version, missing_up, unknown_directive, unreadable"),
  file: z.string().describe("path relative to MIGRATIONS_DIR (a folder for a folder that is not a tier)"),
  line: z.number().int(),
  reason: z.string(),
  message: z.string().describe("<file>:<line>: <reason>"),
  tiers: z.array(zTier).describe("tiers this problem keeps from being planned"),
});

export const ZCatalog = z.object({
  dir: z.string().describe("MIGRATIONS_DIR relative to the console's folder (its own name when it lies elsewhere)"),
  checksum: z.string(),
  loaded_at: z.string().nullable(),
  problems: z.array(ZCatalogProblem).describe("files that did not load; every other file is listed under migrations"),
  broken_tiers: z.array(zTier).describe("tiers whose targets are not planned until their problems are fixed"),
  tiers: z.record(z.string(), z.array(z.string())).describe("migration ids per tier, in order"),
  migrations: z.array(ZCatalogMigration).describe("every migration, in dependency order"),
});
export type CatalogView = z.infer<typeof ZCatalog>;

export const ZTargetRef = z.object({
  key: z.string().describe("<database_id>/<schema_name>"),
  database_id: z.uuid(),
  connection_name: z.string(),
  database_name: z.string(),
  schema_name: z.string(),
  database_type: zTier,
  region: z.string().nullable(),
  tenant_id: z.uuid().nullable(),
  tenant_slug: z.string().nullable(),
});
export type TargetRefView = z.infer<typeof ZTargetRef>;

export const ZTargetsQuery = z
  .strictObject({
    ...targetScopeFields,
    limit: z.coerce.number().int().min(1).max(10_000).default(1_000).describe("targets per page"),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .superRefine(refineScope);
export type TargetsQuery = z.infer<typeof ZTargetsQuery>;

export const ZTargetsResponse = z.object({
  scope: scopeFields.scope,
  targets: z.array(ZTargetRef).describe("one page of the scope's targets"),
  providers: z.array(ZTargetRef).describe("targets outside the scope that satisfy cross-target requirements"),
  total: z.number().int().describe("targets in the whole scope"),
  page: z.object({ limit: z.number().int(), offset: z.number().int() }),
});

export const PLAN_TARGET_STATUSES = ["up_to_date", "pending", "blocked", "unreachable"] as const;

export const ZPlanQuery = z
  .strictObject({
    ...scopeFields,
    status: z.enum(PLAN_TARGET_STATUSES).optional().describe("only targets with this status"),
    limit: z.coerce.number().int().min(1).max(10_000).default(500).describe("targets per page"),
    offset: z.coerce.number().int().min(0).default(0),
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "fingerprint must be the 64-character fingerprint of a plan")
      .optional()
      .describe(
        "page through the plan this fingerprint names, as an earlier call of the same scope returned it, without " +
          "planning the fleet again; when this console no longer keeps that plan, the scope is planned anew",
      ),
  })
  .superRefine(refineScope);
export type PlanQuery = z.infer<typeof ZPlanQuery>;

export const ZPendingMigration = z.object({
  id: z.string(),
  tier: zTier,
  version: z.string(),
  name: z.string(),
  file: z.string(),
  checksum: z.string(),
  transactional: z.boolean(),
  timeout_ms: z.number().int().nullable(),
  requires: z.array(z.string()),
  has_down: z.boolean(),
  warnings: z.array(ZLintWarning),
});

export const ZDrift = z.object({
  id: z.string(),
  version: z.string(),
  file: z.string(),
  applied_checksum: z.string(),
  file_checksum: z.string(),
  applied_at: z.string(),
});

export const ZPlanTarget = ZTargetRef.extend({
  status: z.enum(PLAN_TARGET_STATUSES),
  included_as_provider: z
    .boolean()
    .describe("true: outside the scope, taken in by include_providers because other targets need its migrations"),
  history_known: z.boolean().describe("false when the database could not be read: pending then lists the whole tier"),
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
  blocked_reasons: z.array(z.string()),
  pending: z.array(z.string()).describe("ids of the pending migrations in order (details in `migrations`)"),
  applied_count: z.number().int().describe("history rows that count as applied, baselined ones included"),
  baselined: z
    .array(z.object({ id: z.string().nullable(), version: z.string(), name: z.string() }))
    .describe("the applied rows an operator baselined (marked without running); never rolled back by the console"),
  drift: z.array(ZDrift),
  missing_from_catalog: z.array(
    z.object({ version: z.string(), name: z.string(), checksum: z.string(), applied_at: z.string() }),
  ),
  out_of_order: z.array(z.object({ id: z.string(), version: z.string(), newest_applied: z.string() })),
  interrupted: z.array(z.object({ version: z.string(), name: z.string(), state: z.string(), started_at: z.string() })),
  cross_target: z.array(
    z.object({
      migration_id: z.string(),
      requires: z.string(),
      provider: z
        .object({ key: z.string(), database_id: z.string(), connection_name: z.string(), schema_name: z.string() })
        .nullable(),
      will_apply_in_plan: z.boolean(),
    }),
  ),
});
export type PlanTargetView = z.infer<typeof ZPlanTarget>;

export const ZPlanTotals = z.object({
  targets: z.number().int(),
  up_to_date: z.number().int(),
  pending: z.number().int(),
  blocked: z.number().int(),
  unreachable: z.number().int(),
  pending_migrations: z.number().int(),
  drift: z.number().int(),
  missing_from_catalog: z.number().int(),
  out_of_order: z.number().int(),
  interrupted: z.number().int(),
  baselined: z.number().int(),
  cross_target: z.number().int(),
  warnings: z.number().int(),
});
export type PlanTotalsView = z.infer<typeof ZPlanTotals>;

export const ZProvidersNeeded = z
  .object({
    targets: z.array(ZTargetRef).describe("the providers to take in, in the order they run (admin, shared, analytics)"),
    unblocks: z.number().int().describe("blocked targets of the plan that would then run"),
  })
  .nullable()
  .describe(
    "blocked targets waiting for migrations on targets outside the scope: plan again with include_providers=true to take " +
      "those in; null when none (or when include_providers is already set)",
  );

export const ZPlan = z.object({
  fingerprint: z.string().describe("pin it in POST /api/migrations/execute (plan_fingerprint)"),
  catalog_checksum: z.string(),
  scope: scopeFields.scope,
  params: ZScopeParamsView,
  generated_at: z.string(),
  totals: ZPlanTotals,
  warnings: z.array(ZLintWarning).describe("distinct lint findings of the pending migrations, with the review policy's level"),
  review: ZPlanReview.describe("what the review policy makes of this plan, and the large tables its latest rehearsals measured"),
  migrations: z.array(ZPendingMigration).describe("every migration pending somewhere in the plan, in catalog order"),
  included_providers: z
    .array(ZTargetRef)
    .describe("with include_providers: the targets outside the scope the plan took in for its targets (they run first)"),
  providers_needed: ZProvidersNeeded,
  unreachable: z.array(
    z.object({ database_id: z.string(), connection_name: z.string(), code: z.string().nullable(), message: z.string() }),
  ),
  targets: z.array(ZPlanTarget),
  page: z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
});
export type PlanView = z.infer<typeof ZPlan>;

export const ZTenantMigrations = z.object({
  tenant: z.object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    status: z.string(),
    region: z.string(),
    database_id: z.uuid(),
    connection_name: z.string(),
    schema_name: z.string(),
  }),
  fingerprint: z.string().describe("pin it in POST /api/tenants/{id}/migrate (plan_fingerprint)"),
  catalog_checksum: z.string(),
  target: ZPlanTarget,
  providers_needed: ZProvidersNeeded,
  applied: z
    .array(
      z.object({
        id: z.string().nullable().describe("the catalog id, or null when no file has this version any more"),
        version: z.string(),
        name: z.string(),
        checksum: z.string(),
        state: z.enum(HISTORY_STATES).describe("baselined: marked as applied by an operator, never run by the console"),
        applied_at: z.string(),
        execution_id: z.string().nullable(),
        duration_ms: z.number().int().nullable(),
        applied_by: z.string().nullable(),
        drift: z.boolean().describe("the file changed since it was applied"),
      }),
    )
    .describe("the tenant's history table, by version"),
  pending: z.array(ZPendingMigration),
  migration_state: ZMigrationState.nullable().describe("the fleet state store's view: version, pending, the last execution and its error"),
});
export type TenantMigrationsView = z.infer<typeof ZTenantMigrations>;

export const ZTenantMigrateRequest = z.strictObject({
  dry_run: z.boolean().default(false),
  plan_fingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "plan_fingerprint must be the 64-character fingerprint of a plan")
    .optional()
    .describe("from GET /api/tenants/{id}/migrations: refused with 409 if the tenant's plan changed since"),
});
