import { z } from "zod";

/** Maintenance-window shapes on executions and their targets (window-gate.ts). */

export const ZTargetWindowWait = z
  .object({
    opens_at: z.string().nullable().describe("the next opening of the window that applies to its database"),
    since: z.string(),
  })
  .describe("waiting for window: the target stays queued until its maintenance window opens");
export type TargetWindowWaitView = z.infer<typeof ZTargetWindowWait>;

export const ZExecutionWindow = z.object({
  waiting_targets: z.number().int().describe("queued targets waiting for their maintenance window"),
  opens_at: z.string().nullable().describe("the earliest opening among them"),
  override: z
    .object({ by: z.string(), reason: z.string(), at: z.string() })
    .nullable()
    .describe("an admin let the targets start outside their windows, with this reason"),
});
export type ExecutionWindowView = z.infer<typeof ZExecutionWindow>;
