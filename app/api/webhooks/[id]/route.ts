// GET, PATCH, DELETE /api/webhooks/{id} — one webhook endpoint: read, change (enable, disable, new secret), delete.
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/server/webhooks/api";
import { deleteWebhook, getWebhookOrThrow, updateWebhook } from "@/server/webhooks/service";

export const GET = route(getWebhookEndpoint, ({ params }) => getWebhookOrThrow(params.id));

export const PATCH = route(updateWebhookEndpoint, ({ params, body, principal, audit }) => {
  audit.details = { fields: Object.keys(body) };
  return updateWebhook(params.id, body, actorName(principal));
});

export const DELETE = route(deleteWebhookEndpoint, async ({ params }) => {
  await deleteWebhook(params.id);
  return new Response(null, { status: 204 });
});
