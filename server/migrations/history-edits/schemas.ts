import { z } from "zod";
import { baselineSelectionFields, refineSelection } from "../../contracts/baseline";
import { HISTORY_STATES } from "../../domain/history";
import { refineScope, targetScopeFields } from "../plans/scope";

/**
 * Requests and results of the operators' edits of target histories: baselining a scope, accepting
 * drift, resolving interrupted migrations. Baseline's selection and result shapes are shared with
 * tenant registration (server/contracts/baseline.ts).
 */

const MIGRATION_ID = /^[a-z]+\/\d+_[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const ZBaselineRequest = z
  .strictObject({
    ...targetScopeFields,
    ...baselineSelectionFields,
    dry_run: z.boolean().default(false).describe("check every target's objects and report, writing nothing"),
  })
  .superRefine((v, ctx) => {
    refineScope(v, ctx);
    refineSelection(v, ctx);
  });
export type BaselineRequest = z.infer<typeof ZBaselineRequest>;

const zReason = z
  .string({ message: "reason is required: say why (it is kept in the audit trail)" })
  .trim()
  .min(3, "reason must say why (3 characters or more)")
  .max(500, "reason must be at most 500 characters")
  .describe("why: kept in the audit trail with who did it");

const zMigrationIds = z
  .array(z.string().trim().regex(MIGRATION_ID, "migration_ids must be catalog ids such as tenant/0002_contacts"))
  .min(1, "migration_ids must name at least one migration")
  .max(100);

export const ZAcceptDriftRequest = z
  .strictObject({
    ...targetScopeFields,
    migration_ids: zMigrationIds.describe("the drifted migrations to accept (as the plan lists them under drift)"),
    reason: zReason,
  })
  .superRefine(refineScope);
export type AcceptDriftRequest = z.infer<typeof ZAcceptDriftRequest>;

export const RESOLUTIONS = ["mark_applied", "retry"] as const;

export const ZResolveInterruptedRequest = z
  .strictObject({
    ...targetScopeFields,
    migration_ids: zMigrationIds.describe("the interrupted migrations, as <tier>/<version>_<name>"),
    resolution: z
      .enum(RESOLUTIONS, { message: `resolution must be one of ${RESOLUTIONS.join(", ")}` })
      .describe("mark_applied: it did finish (you checked the target); retry: remove the row so the next execution runs it"),
    reason: zReason,
  })
  .superRefine(refineScope);
export type ResolveInterruptedRequest = z.infer<typeof ZResolveInterruptedRequest>;

export const ZResolveReport = z.object({
  action: z.enum(["accept_drift", "mark_applied", "retry"]),
  reason: z.string(),
  totals: z.object({
    targets: z.number().int().describe("targets of the scope that showed the finding"),
    resolved: z.number().int(),
    changes: z.number().int().describe("history rows changed"),
    failed: z.number().int(),
  }),
  targets: z.array(
    z.object({
      key: z.string(),
      database_id: z.string(),
      connection_name: z.string(),
      schema_name: z.string(),
      tenant_id: z.string().nullable(),
      status: z.enum(["resolved", "nothing_to_resolve", "failed"]),
      changes: z.array(
        z.object({
          id: z.string(),
          version: z.string(),
          state_before: z.enum(HISTORY_STATES),
          checksum_before: z.string(),
          checksum_after: z.string().nullable().describe("null: the row was removed (retry)"),
        }),
      ),
      error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
    }),
  ),
});
export type ResolveReport = z.infer<typeof ZResolveReport>;
