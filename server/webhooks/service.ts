import { randomUUID } from "node:crypto";
import { getSettings } from "../config/settings";
import { getDb } from "../db/client";
import { WEBHOOK_TEST_EVENT, type WebhookDeliveryStatus } from "../domain/webhooks";
import { conflict, notFound } from "../errors/app-error";
import { enqueueWebhookDeliveries, ensureJobQueue } from "../queue/job-queue";
import { publicUrl } from "./emit";
import { envelopeOf, renderBody, type WebhookFacts } from "./payloads";
import * as repo from "./repository";
import type { Webhook, WebhookCreate, WebhookCreated, WebhookDelivery, WebhookUpdate } from "./schemas";
import { getWebhookSecretBox } from "./secret-box";
import { generateSecret } from "./signature";
import { assertWebhookHostAllowed } from "./url-guard";

/**
 * Webhook endpoints (admins register them) and their delivery logs. Every check runs before the
 * first write, so a refused request changes nothing. The signing secret is sealed with the
 * console's encryption key on the way in and never leaves again: a generated one is returned once,
 * in the creation's answer.
 */

export async function createWebhook(input: WebhookCreate, actor: string): Promise<WebhookCreated> {
  assertWebhookHostAllowed(input.url);
  const generated = input.secret === undefined ? generateSecret() : null;
  const sealed = getWebhookSecretBox().seal(input.secret ?? generated!);
  const row = await uniqueName(() =>
    repo.insertEndpoint(getDb(), {
      name: input.name,
      url: input.url,
      format: input.format,
      events: input.events,
      enabled: input.enabled,
      secretEncrypted: sealed.ciphertext,
      secretKeyId: sealed.keyId,
      createdBy: actor,
      updatedBy: actor,
    }),
  );
  return { ...webhookView(row, null), secret: generated };
}

export async function listWebhooks(page: { limit: number; offset: number }) {
  const db = getDb();
  const { rows, total } = await repo.listEndpoints(db, page);
  const latest = new Map((await repo.latestDeliveries(db, rows.map((r) => r.id))).map((d) => [d.endpointId, d]));
  return { webhooks: rows.map((r) => webhookView(r, latest.get(r.id) ?? null)), total, limit: page.limit, offset: page.offset };
}

export async function getWebhookOrThrow(id: string): Promise<Webhook> {
  const row = await rowOrThrow(id);
  const [latest] = await repo.latestDeliveries(getDb(), [id]);
  return webhookView(row, latest ?? null);
}

export async function updateWebhook(id: string, input: WebhookUpdate, actor: string): Promise<Webhook> {
  if (input.url !== undefined) assertWebhookHostAllowed(input.url);
  await rowOrThrow(id);
  const sealed = input.secret !== undefined ? getWebhookSecretBox().seal(input.secret) : null;
  const row = await uniqueName(() =>
    repo.updateEndpoint(getDb(), id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.format !== undefined ? { format: input.format } : {}),
      ...(input.events !== undefined ? { events: input.events } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(sealed ? { secretEncrypted: sealed.ciphertext, secretKeyId: sealed.keyId } : {}),
      updatedBy: actor,
      updatedAt: new Date(),
    }),
  );
  if (!row) throw notFound("webhook", id);
  return getWebhookOrThrow(row.id);
}

export async function deleteWebhook(id: string): Promise<void> {
  if (!(await repo.deleteEndpoint(getDb(), id))) throw notFound("webhook", id);
}

/**
 * "Send test": a `webhook.test` delivery to this endpoint (enabled or not), through the same queue,
 * signature and log as every event. Answers at once with the queued delivery; its outcome shows in
 * the delivery log.
 */
export async function sendTestDelivery(id: string, actor: string): Promise<WebhookDelivery> {
  const endpoint = await rowOrThrow(id);
  assertWebhookHostAllowed(endpoint.url);
  await ensureJobQueue();
  const settings = getSettings();
  const facts: WebhookFacts = { type: WEBHOOK_TEST_EVENT, endpoint: { id: endpoint.id, name: endpoint.name }, requested_by: actor };
  const envelope = envelopeOf(facts, { id: randomUUID(), createdAt: new Date(), app: settings.appName, publicUrl: publicUrl() });
  const row = await getDb().transaction(async (tx) => {
    const [delivery] = await repo.insertDeliveries(tx, [
      {
        endpointId: endpoint.id,
        eventId: envelope.id,
        eventType: WEBHOOK_TEST_EVENT,
        body: renderBody(endpoint.format, envelope, facts),
        maxAttempts: settings.webhooks.maxAttempts,
      },
    ]);
    await enqueueWebhookDeliveries(tx, [{ deliveryId: delivery!.id, endpointId: endpoint.id, maxAttempts: delivery!.maxAttempts }]);
    return delivery!;
  });
  return deliveryView(row);
}

export async function listWebhookDeliveries(id: string, filter: { status?: WebhookDeliveryStatus; limit: number; offset: number }) {
  await rowOrThrow(id);
  const { rows, total } = await repo.listDeliveries(getDb(), id, filter);
  return { deliveries: rows.map(deliveryView), total, limit: filter.limit, offset: filter.offset };
}

async function rowOrThrow(id: string): Promise<repo.EndpointRow> {
  const row = await repo.findEndpoint(getDb(), id);
  if (!row) throw notFound("webhook", id);
  return row;
}

async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (repo.isDuplicateName(error)) throw conflict("a webhook with this name already exists", { field: "name" });
    throw error;
  }
}

function webhookView(row: repo.EndpointRow, latest: repo.DeliveryRow | null): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    format: row.format,
    events: row.events as Webhook["events"],
    enabled: row.enabled,
    last_delivery: latest
      ? { id: latest.id, event_type: latest.eventType, status: latest.status, last_status_code: latest.lastStatusCode, created_at: latest.createdAt.toISOString() }
      : null,
    created_by: row.createdBy,
    updated_by: row.updatedBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function deliveryView(row: repo.DeliveryRow): WebhookDelivery {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    event_id: row.eventId,
    event_type: row.eventType,
    execution_id: row.executionId,
    status: row.status,
    attempts: row.attempts,
    max_attempts: row.maxAttempts,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    last_duration_ms: row.lastDurationMs,
    last_attempt_at: iso(row.lastAttemptAt),
    next_attempt_at: iso(row.nextAttemptAt),
    delivered_at: iso(row.deliveredAt),
    created_at: row.createdAt.toISOString(),
    body: row.body,
  };
}
