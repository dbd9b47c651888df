// GET /api/webhooks/{id}/deliveries — the endpoint's delivery log, newest first.
import { route } from "@/server/http/route";
import { listWebhookDeliveriesEndpoint } from "@/server/webhooks/api";
import { listWebhookDeliveries } from "@/server/webhooks/service";

export const GET = route(listWebhookDeliveriesEndpoint, ({ params, query }) => listWebhookDeliveries(params.id, query));
