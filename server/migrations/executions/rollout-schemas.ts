import { z } from "zod";
import { WAVE_STATUSES } from "../../domain/rollouts";

/**
 * Waved rollouts as the API takes and shows them: the `rollout` of an execute request or a
 * schedule (waves, soak, halt rule), the rollout state of an execution, and a resume request.
 */

const zCanary = z.strictObject({
  type: z.literal("canary"),
  tenant_ids: z.array(z.uuid({ message: "each canary tenant id must be a UUID" })).max(1_000).optional().describe("canary tenants by id"),
  tags: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .optional()
    .describe("canary tenants by tag: tenants whose metadata.tags holds one of these"),
});
const zPercent = z.strictObject({
  type: z.literal("percent"),
  percent: z.number().gt(0, "percent must be more than 0").max(100, "percent must be at most 100").describe("of the non-canary tenants, rounded up"),
});
const zCount = z.strictObject({ type: z.literal("count"), count: z.number().int().min(1, "count must be at least 1").max(1_000_000) });
const zRest = z.strictObject({ type: z.literal("rest") });

export const ZWaveSpec = z.discriminatedUnion("type", [zCanary, zPercent, zCount, zRest]);

export const ZRolloutRequest = z
  .strictObject({
    waves: z
      .array(ZWaveSpec)
      .min(1, "give at least one wave")
      .max(20, "at most 20 waves")
      .describe(
        "in order; a canary wave may only come first; targets left after the last wave form a final `rest` wave; " +
          "admin, shared and analytics targets run in the first wave",
      ),
    soak_seconds: z.number().int().min(0).max(86_400).default(0).describe("wait this long after a wave finished before the next starts"),
    halt: z
      .strictObject({
        max_failed_targets: z.number().int().min(0).nullable().optional().describe("halt when more than this many targets of a wave failed (null: no limit)"),
        max_failed_percent: z.number().min(0).max(100).nullable().optional().describe("halt when more than this % of a wave's targets failed (null: no limit)"),
      })
      .optional()
      .describe("the halt rule; a field left out takes ROLLOUT_HALT_MAX_FAILED_TARGETS / ROLLOUT_HALT_MAX_FAILED_PERCENT"),
  })
  .superRefine((v, ctx) => {
    v.waves.forEach((w, i) => {
      if (w.type === "canary" && i > 0) ctx.addIssue({ code: "custom", path: ["waves", i, "type"], message: "a canary wave may only come first" });
      if (w.type === "canary" && !w.tenant_ids?.length && !w.tags?.length) {
        ctx.addIssue({ code: "custom", path: ["waves", i, "tenant_ids"], message: "a canary wave names tenants by tenant_ids or tags" });
      }
      if (w.type === "rest" && i < v.waves.length - 1) ctx.addIssue({ code: "custom", path: ["waves", i, "type"], message: "rest may only be the last wave" });
    });
  })
  .describe("roll out in waves, each starting when the previous one finished; see server/migrations/README.md");
export type RolloutRequestInput = z.infer<typeof ZRolloutRequest>;

export const ZWaveView = z.object({
  index: z.number().int(),
  label: z.string(),
  status: z.enum([...WAVE_STATUSES, "soaking"]).describe("soaking: the previous wave finished and this one starts at starts_at"),
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  accepted_failures: z.number().int().describe("failures an operator accepted when resuming; the halt rule counts those after them"),
  starts_at: z.string().nullable(),
  completed_at: z.string().nullable(),
});

export const ZRolloutView = z.object({
  waves: z.array(ZWaveView),
  current_wave: z.number().int(),
  soak_seconds: z.number().int(),
  halt_rule: z.object({ max_failed_targets: z.number().int().nullable(), max_failed_percent: z.number().nullable() }),
  halted: z.object({ wave: z.number().int(), reason: z.string(), at: z.string() }).nullable(),
  resumes: z.array(z.object({ by: z.string(), at: z.string(), wave: z.number().int(), retried: z.number().int() })),
});
export type RolloutView = z.infer<typeof ZRolloutView>;

export const ZResumeRequest = z.strictObject({
  retry_failed: z
    .boolean()
    .default(true)
    .describe("run the halted wave's failed targets again (blocked ones excepted); false accepts their failures and goes on"),
});
export type ResumeRequest = z.infer<typeof ZResumeRequest>;
