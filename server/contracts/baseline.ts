import { z } from "zod";

/**
 * The request and result shapes of baselining (marking migrations as applied without running
 * them), shared by POST /api/migrations/baseline and by the tenant registration endpoints, which
 * can baseline what they register in the same call. Those live in different layers, so the shapes
 * live here, below both.
 */

const MIGRATION_ID = /^[a-z]+\/\d+_[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const baselineSelectionFields = {
  to_version: z
    .string()
    .trim()
    .regex(/^\d{1,32}$/, "to_version must be a version number such as 0004")
    .optional()
    .describe("mark every migration of each target's tier up to this version (compared as numbers)"),
  migration_ids: z
    .array(z.string().trim().regex(MIGRATION_ID, "migration_ids must be catalog ids such as tenant/0004_invoice_lines"))
    .min(1, "migration_ids must not be empty")
    .max(1_000)
    .optional()
    .describe("or exactly these migrations (each target takes the ones of its tier)"),
  confirm_missing: z
    .boolean()
    .default(false)
    .describe("write the rows even where objects the migrations create are missing (needs a reason)"),
  reason: z.string().trim().min(3, "reason must say why (3 characters or more)").max(500).optional(),
};

type SelectionInput = { to_version?: string; migration_ids?: string[]; confirm_missing?: boolean; reason?: string };

/** Exactly one of to_version and migration_ids; a reason whenever missing objects are confirmed. */
export function refineSelection(v: SelectionInput, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (v.to_version === undefined && v.migration_ids === undefined) {
    ctx.addIssue({ code: "custom", path: [...path, "to_version"], message: "give to_version or migration_ids" });
  }
  if (v.to_version !== undefined && v.migration_ids !== undefined) {
    ctx.addIssue({ code: "custom", path: [...path, "migration_ids"], message: "give to_version or migration_ids, not both" });
  }
  if (v.confirm_missing && !v.reason) {
    ctx.addIssue({ code: "custom", path: [...path, "reason"], message: "reason is required with confirm_missing" });
  }
}

/** `baseline` in a tenant registration: the selection for the tenant tier. */
export const ZBaselineOnRegister = z
  .strictObject(baselineSelectionFields)
  .superRefine((v, ctx) => refineSelection(v, ctx))
  .describe(
    "baseline the registered schemas in the same call (needs migrations:manage too): their objects are checked first, " +
      "and nothing is registered when some are missing unless confirm_missing",
  );
export type BaselineOnRegister = z.infer<typeof ZBaselineOnRegister>;

export const ZMissingObject = z.object({
  kind: z.enum(["table", "view", "sequence", "column", "index", "type", "function"]),
  schema: z.string().describe("where it was looked for"),
  name: z.string().describe("the relation, index, type or function (for a column, its table)"),
  column: z.string().nullable(),
  migration_id: z.string().describe("the migration whose statement creates it"),
  file: z.string(),
  line: z.number().int(),
});

export const BASELINE_TARGET_STATUSES = ["verified", "baselined", "nothing_to_mark", "missing_objects", "failed"] as const;

export const ZBaselineTarget = z.object({
  key: z.string(),
  database_id: z.string(),
  connection_name: z.string(),
  database_name: z.string(),
  schema_name: z.string(),
  database_type: z.string(),
  tenant_id: z.string().nullable(),
  status: z
    .enum(BASELINE_TARGET_STATUSES)
    .describe(
      "verified: checked, nothing written (dry run); baselined: rows written; nothing_to_mark: every selected migration " +
        "is already recorded; missing_objects: objects are missing (refused unless confirm_missing); failed: see error",
    ),
  to_mark: z.array(z.string()).describe("selected migrations the history does not record yet, in order"),
  marked: z.array(z.string()).describe("migrations recorded as baselined by this call"),
  already_recorded: z.array(z.object({ id: z.string(), state: z.string() })),
  missing: z.array(ZMissingObject).describe("objects the migrations to mark create that the target lacks (first 100)"),
  missing_count: z.number().int(),
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
});
export type BaselineTargetView = z.infer<typeof ZBaselineTarget>;

export const ZBaselineReport = z.object({
  dry_run: z.boolean(),
  selection: z.object({ to_version: z.string().nullable(), migration_ids: z.array(z.string()).nullable() }),
  confirm_missing: z.boolean(),
  totals: z.object({
    targets: z.number().int(),
    to_mark: z.number().int().describe("migrations to mark, over every target"),
    marked: z.number().int().describe("migrations marked by this call, over every target"),
    with_missing_objects: z.number().int().describe("targets lacking objects"),
    missing_objects: z.number().int(),
    failed: z.number().int(),
  }),
  targets: z.array(ZBaselineTarget),
});
export type BaselineReport = z.infer<typeof ZBaselineReport>;
