// GET /api/webhooks — webhook endpoints; POST /api/webhooks — register one (its secret is never shown again).
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";
import { createWebhookEndpoint, listWebhooksEndpoint } from "@/server/webhooks/api";
import { createWebhook, listWebhooks } from "@/server/webhooks/service";

export const GET = route(listWebhooksEndpoint, ({ query }) => listWebhooks(query));

export const POST = route(createWebhookEndpoint, async ({ body, principal, audit }) => {
  const created = await createWebhook(body, actorName(principal));
  audit.resourceId = created.id;
  // The host, not the URL: a receiver's path often carries its own token (a Slack hook's does).
  audit.details = { name: created.name, host: new URL(created.url).host, events: created.events, format: created.format, secret_generated: created.secret !== null };
  return created;
});
