import { queryOptions, useQuery } from "@tanstack/react-query";
import type { WebhookDelivery } from "@/server/webhooks/schemas";
import { fetchJson } from "./fetch-json";
import { webhookKeys } from "./list-webhooks";

export type { WebhookDelivery };

type DeliveryPage = { deliveries: WebhookDelivery[]; total: number };

const unfinished = (page: DeliveryPage | undefined) => !!page?.deliveries.some((d) => d.status === "queued" || d.status === "retrying");

/**
 * GET /api/webhooks/{id}/deliveries — the newest 50, polled every second while one of them is
 * still queued or waiting for a retry.
 */
export const webhookDeliveriesQuery = (id: string) =>
  queryOptions({
    queryKey: webhookKeys.deliveries(id),
    queryFn: ({ signal }) => fetchJson<DeliveryPage>(`/api/webhooks/${encodeURIComponent(id)}/deliveries?limit=50`, { signal }),
    refetchInterval: (query) => (unfinished(query.state.data) ? 1_000 : false),
  });

export function useWebhookDeliveries(id: string, enabled = true) {
  return useQuery({ ...webhookDeliveriesQuery(id), enabled });
}
