import { getSettings } from "../config/settings";
import { getDb } from "../db/client";
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TEST_EVENT } from "../domain/webhooks";
import { getLogger } from "../logging/logger";
import * as repo from "./repository";
import { getWebhookSecretBox } from "./secret-box";
import { signatureHeader } from "./signature";
import { webhookHostProblem } from "./url-guard";

/**
 * One attempt at one delivery (the `deliver_webhook` job calls this; the queue owns the retries).
 *
 * The stored body is signed with the endpoint's secret and the current time, POSTed with a
 * timeout of WEBHOOK_TIMEOUT_MS, redirects not followed, and the outcome written to the delivery
 * row. A 2xx answer delivers it. No answer (refused, reset, timed out), 408, 425, 429 and 5xx are
 * worth another try while attempts remain; any other answer (a 3xx, a 4xx: the receiver refused
 * this request, and the same request will be refused again) ends the delivery as failed, as does
 * an endpoint that was disabled, deleted or whose host left ALLOWED_WEBHOOK_HOSTS since.
 *
 * Deliveries are at least once: a receiver that took a request but answered too late gets it
 * again. Receivers de-duplicate on the event id (the body's `id`, header X-Console-Event-Id).
 */

export type AttemptOutcome = "done" | "retry";

export interface AttemptInfo {
  /** This attempt's number, from 1 (the queue's count). */
  number: number;
  /** The queue's limit: after this attempt no other follows. */
  max: number;
}

interface Answer {
  status: number | null;
  durationMs: number;
  error: string | null;
}

const RESPONSE_EXCERPT_BYTES = 300;

export async function attemptDelivery(deliveryId: string, attempt: AttemptInfo): Promise<AttemptOutcome> {
  const db = getDb();
  const found = await repo.findDelivery(db, deliveryId);
  // Deleted with its endpoint, or finished by an earlier run of this job: nothing to do.
  if (!found || found.delivery.status === "succeeded" || found.delivery.status === "failed") return "done";
  const { delivery, endpoint } = found;
  const log = getLogger().child({ service: "webhooks", deliveryId, endpoint: endpoint.name, event: delivery.eventType });

  const refusal =
    !endpoint.enabled && delivery.eventType !== WEBHOOK_TEST_EVENT
      ? "the endpoint was disabled before this delivery was sent"
      : webhookHostProblem(endpoint.url);
  if (refusal) {
    await repo.updateDelivery(db, delivery.id, { status: "failed", attempts: attempt.number, lastError: refusal, lastAttemptAt: new Date(), nextAttemptAt: null });
    log.warn({ reason: refusal }, "webhook delivery not sent");
    return "done";
  }

  let answer: Answer;
  try {
    const secret = getWebhookSecretBox().open({ ciphertext: endpoint.secretEncrypted, keyId: endpoint.secretKeyId });
    answer = await post(endpoint.url, delivery, secret);
  } catch (error) {
    // The secret could not be read (a key missing from APP_ENCRYPTION_KEYS_PREVIOUS): retried, in
    // case the operator puts the key back.
    answer = { status: null, durationMs: 0, error: `the signing secret could not be read: ${(error as Error).message}` };
  }

  const now = new Date();
  const delivered = answer.status !== null && answer.status >= 200 && answer.status < 300;
  const retryable = !delivered && isRetryable(answer.status);
  const retry = retryable && attempt.number < attempt.max;
  await repo.updateDelivery(db, delivery.id, {
    status: delivered ? "succeeded" : retry ? "retrying" : "failed",
    attempts: attempt.number,
    lastStatusCode: answer.status,
    lastError: delivered ? null : retryable && !retry ? `${answer.error} (gave up after ${attempt.number} attempts)` : answer.error,
    lastDurationMs: Math.round(answer.durationMs),
    lastAttemptAt: now,
    nextAttemptAt: retry ? new Date(now.getTime() + queueBackoffMs(attempt.number)) : null,
    deliveredAt: delivered ? now : null,
  });
  if (!delivered) log[retry ? "info" : "warn"]({ status: answer.status, error: answer.error, attempt: attempt.number }, retry ? "webhook delivery failed, will retry" : "webhook delivery failed");
  return retry ? "retry" : "done";
}

/** graphile-worker's own backoff after attempt n: e^min(n, 10) seconds (what next_attempt_at shows). */
export function queueBackoffMs(attempt: number): number {
  return Math.round(Math.exp(Math.min(attempt, 10)) * 1000);
}

function isRetryable(status: number | null): boolean {
  return status === null || status === 408 || status === 425 || status === 429 || status >= 500;
}

async function post(url: string, delivery: repo.DeliveryRow, secret: string): Promise<Answer> {
  const { appVersion, webhooks } = getSettings();
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(webhooks.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": `infrastructure-console-webhooks/${appVersion}`,
        "x-console-event": delivery.eventType,
        "x-console-event-id": delivery.eventId,
        "x-console-delivery": delivery.id,
        [WEBHOOK_SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, delivery.body),
      },
    });
    const excerpt = response.ok ? "" : await readExcerpt(response);
    if (response.ok) await response.body?.cancel().catch(() => {});
    const durationMs = performance.now() - started;
    if (response.ok) return { status: response.status, durationMs, error: null };
    const location = response.headers.get("location");
    const why =
      response.status >= 300 && response.status < 400
        ? `the receiver answered ${response.status} (redirects are not followed${location ? `: to ${location.slice(0, 200)}` : ""})`
        : `the receiver answered ${response.status}${excerpt ? `: ${excerpt}` : ""}`;
    return { status: response.status, durationMs, error: why };
  } catch (error) {
    return { status: null, durationMs: performance.now() - started, error: networkError(error) };
  }
}

/** The start of an error answer, for the delivery log (receivers often say what they disliked). */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still says what it said so far.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).toString("utf8", 0, Math.min(size, RESPONSE_EXCERPT_BYTES));
  return text.replace(/\s+/g, " ").trim();
}

function networkError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${getSettings().webhooks.timeoutMs} ms (WEBHOOK_TIMEOUT_MS)`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `the request failed: ${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
  return `the request failed: ${error instanceof Error ? error.message : String(error)}`;
}
