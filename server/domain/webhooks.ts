/**
 * The words of outbound webhooks, shared by the control-plane tables, the services and the
 * dashboard: which events an endpoint can subscribe to, the payload formats and a delivery's
 * states. No imports: anything may depend on this file.
 */
export const WEBHOOK_EVENTS = [
  "execution.approval_needed",
  "execution.started",
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
  "execution.halted",
  "execution.rolled_back",
  "schedule.fired",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What "send test" sends: every endpoint gets it, whatever it subscribed to. */
export const WEBHOOK_TEST_EVENT = "webhook.test";
export type WebhookEventType = WebhookEvent | typeof WEBHOOK_TEST_EVENT;

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "execution.approval_needed": "Approval needed",
  "execution.started": "Execution started",
  "execution.completed": "Execution completed",
  "execution.failed": "Execution failed",
  "execution.cancelled": "Execution cancelled",
  "execution.halted": "Rollout halted",
  "execution.rolled_back": "Execution rolled back",
  "schedule.fired": "Schedule fired",
};

/** `standard`: the console's JSON envelope; `slack`: a Slack incoming-webhook message (`text`, `blocks`). */
export const WEBHOOK_FORMATS = ["standard", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** queued → (retrying →)* succeeded | failed. `failed` is final: no attempt follows. */
export const WEBHOOK_DELIVERY_STATUSES = ["queued", "retrying", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The header that carries a delivery's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = "X-Console-Signature";
