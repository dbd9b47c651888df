import { defineEndpoint } from "../contracts/endpoint";
import { WEBHOOK_EVENTS } from "../domain/webhooks";
import {
  ZDeliveryList,
  ZDeliveryListQuery,
  ZWebhook,
  ZWebhookCreate,
  ZWebhookCreated,
  ZWebhookDelivery,
  ZWebhookIdParams,
  ZWebhookList,
  ZWebhookListQuery,
  ZWebhookUpdate,
} from "./schemas";

const tags = ["Webhooks"];

const SIGNING =
  "Each delivery is a POST with the header `X-Console-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" " +
  "with the endpoint's secret>`, plus X-Console-Event, X-Console-Event-Id and X-Console-Delivery.";

export const listWebhooksEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/webhooks",
  summary: "List webhook endpoints",
  description: "Endpoints by name, each with its newest delivery. Secrets are never returned.",
  tags,
  access: "infrastructure:admin",
  query: ZWebhookListQuery,
  response: ZWebhookList,
});

export const createWebhookEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/webhooks",
  summary: "Register a webhook endpoint",
  description:
    `Events: ${WEBHOOK_EVENTS.join(", ")}. The URL must be http(s) without credentials, on ALLOWED_WEBHOOK_HOSTS ` +
    "(else 422 host_not_allowed naming `url`). Without `secret` the console generates one and returns it in this " +
    `answer only. ${SIGNING} Format \`slack\` sends a Slack incoming-webhook message instead of the JSON envelope.`,
  tags,
  access: "infrastructure:admin",
  body: ZWebhookCreate,
  response: ZWebhookCreated,
  status: 201,
  action: "webhooks.create",
  resourceType: "webhook",
});

export const getWebhookEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/webhooks/{id}",
  summary: "One webhook endpoint",
  tags,
  access: "infrastructure:admin",
  params: ZWebhookIdParams,
  response: ZWebhook,
});

export const updateWebhookEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/api/webhooks/{id}",
  summary: "Change, enable, disable a webhook endpoint or replace its secret",
  description: "A disabled endpoint gets no new events; deliveries already queued for it end as failed.",
  tags,
  access: "infrastructure:admin",
  params: ZWebhookIdParams,
  body: ZWebhookUpdate,
  response: ZWebhook,
  action: "webhooks.update",
  resourceType: "webhook",
});

export const deleteWebhookEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/api/webhooks/{id}",
  summary: "Delete a webhook endpoint",
  description: "Its delivery log goes with it; deliveries still queued are not sent.",
  tags,
  access: "infrastructure:admin",
  params: ZWebhookIdParams,
  status: 204,
  action: "webhooks.delete",
  resourceType: "webhook",
});

export const testWebhookEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/webhooks/{id}/test",
  summary: "Send a test delivery",
  description:
    "Queues a `webhook.test` event to this endpoint (enabled or not), signed and retried like any event. Answers 202 " +
    "with the queued delivery; its outcome appears in the delivery log.",
  tags,
  access: "infrastructure:admin",
  params: ZWebhookIdParams,
  response: ZWebhookDelivery,
  status: 202,
  action: "webhooks.test",
  resourceType: "webhook",
});

export const listWebhookDeliveriesEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/webhooks/{id}/deliveries",
  summary: "The delivery log of a webhook endpoint",
  description:
    "Newest first: each delivery's event, status (queued, retrying, succeeded, failed), attempts, the last answer's " +
    "HTTP status, error and duration, when the next attempt is due, and the body as sent.",
  tags,
  access: "infrastructure:admin",
  params: ZWebhookIdParams,
  query: ZDeliveryListQuery,
  response: ZDeliveryList,
});
