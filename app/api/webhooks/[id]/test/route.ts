// POST /api/webhooks/{id}/test — queue a signed test delivery to the endpoint.
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";
import { testWebhookEndpoint } from "@/server/webhooks/api";
import { sendTestDelivery } from "@/server/webhooks/service";

export const POST = route(testWebhookEndpoint, async ({ params, principal, audit }) => {
  const delivery = await sendTestDelivery(params.id, actorName(principal));
  audit.details = { delivery_id: delivery.id };
  return delivery;
});
