import { randomUUID } from "node:crypto";
import { getSettings } from "../config/settings";
import type { Db } from "../db/client";
import { enqueueWebhookDeliveries, ensureJobQueue } from "../queue/job-queue";
import { consoleLink, envelopeOf, executionFacts, renderBody, type ExecutionLike, type WebhookFacts } from "./payloads";
import * as repo from "./repository";

/**
 * Emitting an event: inside the transaction that records the change it reports, one delivery row
 * and one queue job per enabled endpoint subscribed to it. The change, its deliveries and their
 * jobs commit together, so an event is never lost (a crash after the commit leaves the jobs to any
 * worker) and never sent for a change that rolled back. With no subscriber it costs one indexed
 * read of a small table.
 */

type Tx = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

type EndedEvent = "execution.completed" | "execution.failed" | "execution.cancelled";

/** `completed`, `failed` or `cancelled` as the event an ended execution sends. */
export const ENDED_EVENT: Partial<Record<string, EndedEvent>> = {
  completed: "execution.completed",
  failed: "execution.failed",
  cancelled: "execution.cancelled",
};

export async function emitExecutionEvent(
  tx: Tx,
  type: "execution.approval_needed" | "execution.started" | "execution.halted" | EndedEvent,
  execution: ExecutionLike,
): Promise<void> {
  await emit(tx, { type, execution: executionFacts(execution, publicUrl()) }, execution.id);
}

/** `original` now reads rolled_back because `rollback` completed. */
export async function emitRolledBack(tx: Tx, original: ExecutionLike, rollback: ExecutionLike): Promise<void> {
  await emit(
    tx,
    { type: "execution.rolled_back", execution: executionFacts(original, publicUrl()), rollback: executionFacts(rollback, publicUrl()) },
    original.id,
  );
}

/**
 * A schedule's firing, in the transaction that claims it: the execution it is starting (recorded by
 * the same transaction; its own events follow), or why it could not start one.
 */
export async function emitScheduleFired(
  tx: Tx,
  schedule: { id: string; name: string; scheduledFor: Date },
  outcome: { executionId: string } | { error: string },
): Promise<void> {
  const executionId = "executionId" in outcome ? outcome.executionId : null;
  await emit(
    tx,
    {
      type: "schedule.fired",
      schedule: { id: schedule.id, name: schedule.name, scheduled_for: schedule.scheduledFor.toISOString(), url: consoleLink(publicUrl(), "/schedules") },
      execution: executionId ? { id: executionId, url: consoleLink(publicUrl(), `/executions/${executionId}`) } : null,
      error: "error" in outcome ? outcome.error : null,
    },
    executionId,
  );
}

async function emit(tx: Tx, facts: Exclude<WebhookFacts, { type: "webhook.test" }>, executionId: string | null): Promise<void> {
  const endpoints = await repo.subscribedEndpoints(tx, facts.type);
  if (endpoints.length === 0) return;
  await ensureJobQueue();
  const settings = getSettings();
  const envelope = envelopeOf(facts, { id: randomUUID(), createdAt: new Date(), app: settings.appName, publicUrl: publicUrl() });
  const rows = await repo.insertDeliveries(
    tx,
    endpoints.map((endpoint) => ({
      endpointId: endpoint.id,
      eventId: envelope.id,
      eventType: facts.type,
      executionId,
      body: renderBody(endpoint.format, envelope, facts),
      maxAttempts: settings.webhooks.maxAttempts,
    })),
  );
  await enqueueWebhookDeliveries(
    tx,
    rows.map((r) => ({ deliveryId: r.id, endpointId: r.endpointId, maxAttempts: r.maxAttempts })),
  );
}

/** Where the console's pages are, for links in messages (AUTH_URL); null when it is not known. */
export function publicUrl(): string | null {
  return getSettings().authUrl ?? null;
}
