import { z } from "zod";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS, WEBHOOK_FORMATS } from "../domain/webhooks";

/**
 * Outbound webhooks: endpoints an admin registers and the deliveries sent to them. Shapes shared by
 * the routes, the OpenAPI document and the dashboard's forms.
 */

const zName = z
  .string()
  .trim()
  .min(1, "name must not be empty")
  .max(100, "name must be at most 100 characters")
  .regex(/^[\w .:-]+$/, "name may use letters, digits, spaces and . _ : -");

/** Why a webhook URL is unusable, or null. The host allow-list is checked by the service (it reads the settings). */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "url must be an absolute http(s) URL, e.g. https://hooks.example.com/console";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `url must use http or https, not ${url.protocol.replace(/:$/, "")}`;
  if (url.username || url.password) {
    return "url must not carry credentials (user:password@host): deliveries are authenticated by their signature";
  }
  if (url.hash) return "url must not have a #fragment: it is never sent to the receiver";
  return null;
}

const zUrl = z
  .string()
  .trim()
  .min(1, "url must not be empty")
  .max(2000, "url must be at most 2000 characters")
  .superRefine((v, ctx) => {
    const problem = webhookUrlProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("http(s) URL on ALLOWED_WEBHOOK_HOSTS; no user:password@, no #fragment");

const zSecret = z
  .string()
  .min(16, "secret must be at least 16 characters")
  .max(200, "secret must be at most 200 characters")
  .regex(/^[\x21-\x7e]+$/, "secret may use printable ASCII characters without spaces")
  .describe("signing secret; stored encrypted and never returned");

const zEvents = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `each event must be one of ${WEBHOOK_EVENTS.join(", ")}` }))
  .min(1, "events must name at least one event")
  .max(WEBHOOK_EVENTS.length * 2)
  .transform((events) => WEBHOOK_EVENTS.filter((e) => events.includes(e)))
  .describe("events to send: " + WEBHOOK_EVENTS.join(", "));

const zFormat = z
  .enum(WEBHOOK_FORMATS, { message: `format must be one of ${WEBHOOK_FORMATS.join(", ")}` })
  .describe("standard: the console's JSON envelope; slack: a Slack incoming-webhook message");

export const ZWebhookCreate = z.strictObject({
  name: zName,
  url: zUrl,
  events: zEvents,
  format: zFormat.default("standard"),
  secret: zSecret.optional().describe("signing secret (16+ characters); omit it and the console generates one, returned once"),
  enabled: z.boolean().default(true),
});
export type WebhookCreate = z.infer<typeof ZWebhookCreate>;

export const ZWebhookUpdate = z.strictObject({
  name: zName.optional(),
  url: zUrl.optional(),
  events: zEvents.optional(),
  format: zFormat.optional(),
  secret: zSecret.optional().describe("replaces the signing secret (never returned)"),
  enabled: z.boolean().optional(),
});
export type WebhookUpdate = z.infer<typeof ZWebhookUpdate>;

export const ZWebhookIdParams = z.strictObject({ id: z.uuid({ message: "id must be a UUID" }) });

export const ZWebhookListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZDeliveryListQuery = z.strictObject({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES, { message: `status must be one of ${WEBHOOK_DELIVERY_STATUSES.join(", ")}` }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZWebhookDelivery = z.object({
  id: z.uuid(),
  endpoint_id: z.uuid(),
  event_id: z.uuid().describe("the same at every endpoint the event went to: de-duplicate on it"),
  event_type: z.string(),
  execution_id: z.uuid().nullable(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  last_status_code: z.number().int().nullable().describe("HTTP status of the last attempt (null: no answer)"),
  last_error: z.string().nullable(),
  last_duration_ms: z.number().int().nullable(),
  last_attempt_at: z.string().nullable(),
  next_attempt_at: z.string().nullable().describe("when the next attempt is due (status retrying)"),
  delivered_at: z.string().nullable(),
  created_at: z.string(),
  body: z.string().describe("the request body exactly as sent"),
});
export type WebhookDelivery = z.infer<typeof ZWebhookDelivery>;

export const ZWebhook = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  last_delivery: ZWebhookDelivery.pick({ id: true, event_type: true, status: true, last_status_code: true, created_at: true })
    .nullable()
    .describe("the newest delivery"),
  created_by: z.string(),
  updated_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Webhook = z.infer<typeof ZWebhook>;

export const ZWebhookCreated = ZWebhook.extend({
  secret: z.string().nullable().describe("the generated secret, shown this once (null when the request gave one)"),
});
export type WebhookCreated = z.infer<typeof ZWebhookCreated>;

export const ZWebhookList = z.object({
  webhooks: z.array(ZWebhook),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ZDeliveryList = z.object({
  deliveries: z.array(ZWebhookDelivery),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
