import { z } from "zod";
import { zMetadata } from "../contracts/metadata";
import { SCOPES } from "../domain/executions";
import { scopeFields, scopeProblems, ZScopeParamsView, type ScopeInput } from "../migrations/plans/scope";
import { cronProblem, isTimeZone } from "../domain/schedule-times";
import { ZRolloutRequest } from "../migrations/executions/rollout-schemas";

/**
 * Schedules (the original MigrationSchedule): a scope to execute later, by cron expression (in a
 * time zone) or once at a given time. Shapes shared by the routes and the OpenAPI document.
 */

const zName = z
  .string()
  .trim()
  .min(1, "name must not be empty")
  .max(100, "name must be at most 100 characters")
  .regex(/^[\w .:-]+$/, "name may use letters, digits, spaces and . _ : -");
const zCron = z.string().trim().min(1).max(200).describe('cron expression, 5 fields (minute) or 6 (second first), e.g. "0 3 * * 1-5"');
const zTimezone = z
  .string()
  .trim()
  .refine(isTimeZone, { message: "timezone must be an IANA time zone such as UTC or Europe/Berlin" })
  .describe("IANA time zone the cron expression is read in (default UTC)");
const zRunAt = z.iso.datetime({ offset: true, message: "run_at must be an ISO 8601 date-time with a time zone" }).describe("run once at this time");

export const ZScheduleCreate = z
  .strictObject({
    name: zName,
    ...scopeFields,
    cron: zCron.optional(),
    timezone: zTimezone.default("UTC"),
    run_at: zRunAt.optional(),
    enabled: z.boolean().default(true),
    dry_run: z.boolean().default(false).describe("rehearse instead of applying"),
    metadata: zMetadata.default({}),
    rollout: ZRolloutRequest.optional().describe("each firing's execution rolls out in these waves, with this halt rule"),
  })
  .superRefine((v, ctx) => {
    if (v.rollout && v.dry_run) ctx.addIssue({ code: "custom", path: ["rollout"], message: "a rehearsal runs every target at once: waves are for executions" });
    for (const issue of scopeProblems(v)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
    if ((v.cron === undefined) === (v.run_at === undefined)) {
      ctx.addIssue({ code: "custom", path: ["cron"], message: "give either cron or run_at (exactly one)" });
    }
    if (v.cron !== undefined) {
      const problem = cronProblem(v.cron, v.timezone);
      if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
    }
    if (v.run_at !== undefined && Date.parse(v.run_at) <= Date.now()) {
      ctx.addIssue({ code: "custom", path: ["run_at"], message: "run_at must be in the future" });
    }
  });
export type ScheduleCreate = z.infer<typeof ZScheduleCreate>;

export const ZScheduleUpdate = z
  .strictObject({
    name: zName.optional(),
    enabled: z.boolean().optional(),
    dry_run: z.boolean().optional(),
    cron: zCron.optional().describe("switches the schedule to this cron expression (clears run_at)"),
    timezone: zTimezone.optional(),
    run_at: zRunAt.optional().describe("switches the schedule to run once at this time (clears cron)"),
    scope: z.enum(SCOPES).optional().describe("with its parameters: the scope is replaced as a whole"),
    region: scopeFields.region,
    tenant_ids: scopeFields.tenant_ids,
    database_id: scopeFields.database_id,
    schema_name: scopeFields.schema_name,
    tenant_id: scopeFields.tenant_id,
    include_providers: scopeFields.include_providers,
    metadata: zMetadata.optional(),
    rollout: ZRolloutRequest.nullable().optional().describe("replaces the waves and halt rule (null: every target at once)"),
  })
  .superRefine((v, ctx) => {
    if (v.cron !== undefined && v.run_at !== undefined) {
      ctx.addIssue({ code: "custom", path: ["cron"], message: "give cron or run_at, not both" });
    }
    if (v.run_at !== undefined && Date.parse(v.run_at) <= Date.now()) {
      ctx.addIssue({ code: "custom", path: ["run_at"], message: "run_at must be in the future" });
    }
    const scopeParams = ["region", "tenant_ids", "database_id", "schema_name", "tenant_id", "include_providers"] as const;
    if (v.scope === undefined && scopeParams.some((k) => v[k] !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["scope"], message: "scope parameters replace the scope: give scope with them" });
    }
    if (v.scope !== undefined) {
      for (const issue of scopeProblems(v as ScopeInput)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
    }
  });
export type ScheduleUpdate = z.infer<typeof ZScheduleUpdate>;

export const ZScheduleIdParams = z.strictObject({ id: z.uuid({ message: "id must be a UUID" }) });

export const ZScheduleListQuery = z.strictObject({
  enabled: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZSchedule = z.object({
  id: z.uuid(),
  name: z.string(),
  scope: z.enum(SCOPES),
  params: ZScopeParamsView,
  cron: z.string().nullable(),
  timezone: z.string(),
  run_at: z.string().nullable(),
  enabled: z.boolean(),
  dry_run: z.boolean(),
  next_run_at: z.string().nullable().describe("when it fires next (null: disabled, or a one-off that already ran)"),
  next_runs: z.array(z.string()).describe("the next (up to) 5 firing times"),
  last_run_at: z.string().nullable(),
  last_execution_id: z.uuid().nullable(),
  last_error: z.string().nullable().describe("why the last firing could not start an execution"),
  metadata: z.record(z.string(), z.unknown()),
  rollout: ZRolloutRequest.nullable().describe("the waves and halt rule each firing rolls out with; null: every target at once"),
  created_by: z.string(),
  updated_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Schedule = z.infer<typeof ZSchedule>;

export const ZScheduleList = z.object({
  schedules: z.array(ZSchedule),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
