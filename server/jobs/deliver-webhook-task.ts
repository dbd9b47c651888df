import type { Task } from "graphile-worker";
import { z } from "zod";
import { DELIVER_WEBHOOK_TASK } from "../queue/job-queue";
import { stopRetryingJob } from "../queue/repository";
import { attemptDelivery } from "../webhooks/deliver";

/**
 * The `deliver_webhook` job: one attempt at one delivery. A payload that can never be valid fails
 * for good. An attempt worth repeating throws, and the queue runs the job again after its
 * exponential backoff until WEBHOOK_MAX_ATTEMPTS (the job's max_attempts); everything else —
 * delivered, refused for good, the last attempt — returns, and the job is done.
 */

const ZPayload = z.strictObject({ delivery_id: z.uuid() });

export const deliverWebhookTask: Task = async (payload, helpers) => {
  const parsed = ZPayload.safeParse(payload);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
    await stopRetryingJob(helpers, helpers.job.id);
    throw new Error(`invalid ${DELIVER_WEBHOOK_TASK} payload (not retried): ${reason}`);
  }
  const outcome = await attemptDelivery(parsed.data.delivery_id, { number: helpers.job.attempts, max: helpers.job.max_attempts });
  if (outcome === "retry") throw new Error(`webhook delivery ${parsed.data.delivery_id}: attempt ${helpers.job.attempts} failed, retried later`);
};
