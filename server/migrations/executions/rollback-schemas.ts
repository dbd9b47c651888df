import { z } from "zod";
import { TIERS } from "../../domain/fleet";
import { zSchemaName } from "../../fleet/identifiers";

/**
 * Rolling back and retrying, as the API takes and shows them: a rollback of an execution (all of
 * it or some of its targets), a rollback of one target to a version, the rollback plan both show
 * before anything runs, and the refusals that stop a rollback up front.
 */

const zDryRun = z
  .boolean()
  .default(false)
  .describe("rehearse: every target's down parts run inside a transaction that is rolled back, with the real errors");

/** `a,b` or repeated `target_ids=a&target_ids=b` in a query string; a JSON array in a body. */
const zTargetIds = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z
    .array(z.uuid({ message: "target_ids must be ids of the execution's targets (UUIDs)" }))
    .min(1, "target_ids must not be empty")
    .max(10_000),
);

const zToVersion = z
  .string()
  .trim()
  .regex(/^\d{1,32}$/, "to_version must be a version number such as 0002 (0: roll back everything the console applied)")
  .describe("undo every migration applied after this version, newest first (compared as numbers)");

export const ZRollbackRequest = z.strictObject({
  execution_id: z.uuid({ message: "execution_id must be a UUID" }),
  target_ids: zTargetIds
    .optional()
    .describe("only these targets of the execution (their ids in GET /api/migrations/status/{id}); default: every target"),
  dry_run: zDryRun,
});
export type RollbackRequest = z.infer<typeof ZRollbackRequest>;

const targetFields = {
  database_id: z.uuid({ message: "database_id must be a UUID" }).describe("the target's database"),
  schema_name: zSchemaName.optional().describe("one schema of the database (default: the database's own)"),
  tenant_id: z.uuid({ message: "tenant_id must be a UUID" }).optional().describe("or one tenant of the database"),
};

function refineTarget(v: { schema_name?: string; tenant_id?: string }, ctx: z.RefinementCtx) {
  if (v.schema_name && v.tenant_id) ctx.addIssue({ code: "custom", path: ["tenant_id"], message: "give schema_name or tenant_id, not both" });
}

export const ZVersionRollbackRequest = z
  .strictObject({ ...targetFields, to_version: zToVersion, dry_run: zDryRun })
  .superRefine(refineTarget);
export type VersionRollbackRequest = z.infer<typeof ZVersionRollbackRequest>;

export const ZTenantRollbackRequest = z.strictObject({ to_version: zToVersion, dry_run: zDryRun });
export type TenantRollbackRequest = z.infer<typeof ZTenantRollbackRequest>;

export const ZRollbackPlanQuery = z
  .strictObject({
    execution_id: z.uuid({ message: "execution_id must be a UUID" }).optional().describe("the execution to roll back"),
    target_ids: zTargetIds.optional().describe("with execution_id: only these of its targets"),
    database_id: targetFields.database_id.optional().describe("or one target to roll back to a version: its database"),
    schema_name: targetFields.schema_name,
    tenant_id: targetFields.tenant_id,
    to_version: zToVersion.optional().describe("with database_id: the version to roll back to"),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(5_000)
      .default(500)
      .describe("targets per page; left_out and refusals list at most this many too (totals count them all)"),
    offset: z.coerce.number().int().min(0).default(0).describe("the page's first target"),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.execution_id) {
      for (const field of ["database_id", "schema_name", "tenant_id", "to_version"] as const) {
        if (v[field] !== undefined) issue(field, `${field} is not accepted with execution_id`);
      }
      return;
    }
    if (!v.database_id) issue("execution_id", "give execution_id, or database_id with to_version");
    else if (v.to_version === undefined) issue("to_version", "to_version is required with database_id");
    if (v.target_ids) issue("target_ids", "target_ids is only accepted with execution_id");
    refineTarget(v, ctx);
  });
export type RollbackPlanQuery = z.infer<typeof ZRollbackPlanQuery>;

export const ROLLBACK_REFUSALS = ["irreversible", "baselined", "not_in_catalog", "changed", "interrupted"] as const;
export type RollbackRefusalCode = (typeof ROLLBACK_REFUSALS)[number];

export const ZRollbackRefusal = z.object({
  code: z
    .enum(ROLLBACK_REFUSALS)
    .describe(
      "irreversible: no down part (or an empty one); baselined: marked by an operator, never run by the console; " +
        "not_in_catalog: the file left the catalog; changed: the file changed since it was applied; interrupted: a " +
        "transaction: false migration that did not finish (resolve it first)",
    ),
  message: z.string(),
  files: z.array(z.string()).describe("the files (or, for migrations no longer in the catalog, their ids)"),
});
export type RollbackRefusal = z.infer<typeof ZRollbackRefusal>;

export const ZRollbackPlanMigration = z.object({
  id: z.string(),
  version: z.string(),
  name: z.string(),
  file: z.string().nullable().describe("null when the file is no longer in the catalog"),
  transactional: z.boolean().nullable(),
  has_down: z.boolean().nullable(),
});

export const ZRollbackPlan = z.object({
  execution_id: z.uuid().nullable().describe("the execution rolled back, or null for a rollback to a version"),
  to_version: z.string().nullable(),
  can_roll_back: z.boolean().describe("false when refusals is not empty: POST would answer 409 with them"),
  totals: z.object({
    targets: z.number().int(),
    migrations: z.number().int(),
    left_out: z.number().int().describe("targets with nothing (left) to undo"),
    refusals: z.number().int(),
  }),
  page: z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
  targets: z.array(
    z.object({
      execution_target_id: z.uuid().nullable().describe("the original execution's target"),
      database_id: z.uuid(),
      connection_name: z.string(),
      database_name: z.string(),
      schema_name: z.string(),
      database_type: z.enum(TIERS),
      region: z.string().nullable(),
      tenant_id: z.uuid().nullable(),
      migrations: z.array(ZRollbackPlanMigration).describe("what is undone on this target, in the order it is undone (newest first)"),
    }),
  ),
  left_out: z
    .array(z.object({ execution_target_id: z.uuid().nullable(), target: z.string(), reason: z.string() }))
    .describe("targets of the execution with nothing (left) to undo"),
  refusals: z.array(ZRollbackRefusal),
});
export type RollbackPlanView = z.infer<typeof ZRollbackPlan>;
