import type { Task } from "graphile-worker";
import { z } from "zod";
import { runTargetJob } from "../migrations/executions/run-target-job";
import { MIGRATE_TARGET_TASK } from "../queue/job-queue";
import { stopRetryingJob } from "../queue/repository";

/**
 * The `migrate_target` job: one target of one execution. The payload is validated first; one that
 * can never be valid fails for good instead of being retried 25 times. Everything else is
 * runTargetJob's (which records target failures itself and only throws when the control plane
 * is unavailable, for the queue to retry later).
 */

const ZPayload = z.strictObject({ execution_id: z.uuid(), target_id: z.uuid() });

export const migrateTargetTask: Task = async (payload, helpers) => {
  const parsed = ZPayload.safeParse(payload);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
    await stopRetryingJob(helpers, helpers.job.id);
    throw new Error(`invalid ${MIGRATE_TARGET_TASK} payload (not retried): ${reason}`);
  }
  await runTargetJob({
    executionId: parsed.data.execution_id,
    targetId: parsed.data.target_id,
    shutdownSignal: helpers.abortSignal,
  });
};
