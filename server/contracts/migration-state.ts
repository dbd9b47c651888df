import { z } from "zod";
import { EXECUTION_KINDS, TARGET_STATUSES } from "../domain/executions";

/**
 * A target's migration state as lists show it (tenants, a database's page, the Overview's
 * figures): what the console last read of its history, compared with the catalog when the list was
 * read. Shared by the tenant list and the fleet state endpoint.
 */

/** The list filters: at head, behind (something pending), failed last run, blocked, never read. */
export const MIGRATION_STATE_FILTERS = ["at_head", "behind", "failed", "blocked", "unknown"] as const;
export type MigrationStateFilter = (typeof MIGRATION_STATE_FILTERS)[number];

export const zMigrationStateFilter = z.enum(MIGRATION_STATE_FILTERS, {
  message: `state must be one of ${MIGRATION_STATE_FILTERS.join(", ")}`,
});

const ZTargetError = z.object({
  code: z.string().optional(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  position: z.number().int().optional(),
  statement: z.string().optional(),
  detail: z.string().optional(),
  hint: z.string().optional(),
  transient: z.boolean().optional(),
});

export const ZMigrationState = z
  .object({
    version: z.string().nullable().describe("the highest version the target's history counts as applied (null: none)"),
    applied: z
      .number()
      .int()
      .nullable()
      .describe("migrations of the tier's catalog counted as applied (run or baselined); null when the history was never read"),
    pending: z
      .number()
      .int()
      .nullable()
      .describe("the tier's catalog migrations not applied yet; null when the history was never read or the catalog cannot be"),
    head: z.string().nullable().describe("the highest version of the tier in the catalog"),
    at_head: z.boolean().nullable(),
    blocked: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .describe("what stops the target until an operator acts: drift, an interrupted migration, a catalog problem of its tier"),
    checked_at: z.string().nullable().describe("when a read of the target's history (a plan, a run, a baseline) last changed these figures"),
    last_run: z
      .object({
        execution_id: z.uuid(),
        kind: z.enum(EXECUTION_KINDS),
        status: z.enum(TARGET_STATUSES),
        at: z.string(),
        error: ZTargetError.nullable(),
      })
      .nullable()
      .describe("the last execution (not a rehearsal) that ran on the target and how it ended there"),
  })
  .describe("what the console last read of the target's history, compared with the catalog now");
export type MigrationState = z.infer<typeof ZMigrationState>;
