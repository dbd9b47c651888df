import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Webhook } from "@/server/webhooks/schemas";
import { fetchJson } from "./fetch-json";

export type { Webhook };

export const webhookKeys = {
  all: ["webhooks"] as const,
  deliveries: (id: string) => ["webhooks", id, "deliveries"] as const,
};

type WebhookPage = { webhooks: Webhook[]; total: number };

const unfinished = (page: WebhookPage | undefined) =>
  !!page?.webhooks.some((w) => w.last_delivery?.status === "queued" || w.last_delivery?.status === "retrying");

/**
 * GET /api/webhooks — every endpoint with its newest delivery (infrastructure:admin), polled every
 * few seconds while a newest delivery is still on its way.
 */
export const webhooksQuery = () =>
  queryOptions({
    queryKey: [...webhookKeys.all, "list"] as const,
    queryFn: ({ signal }) => fetchJson<WebhookPage>("/api/webhooks?limit=200", { signal }),
    refetchInterval: (query) => (unfinished(query.state.data) ? 2_000 : false),
  });

export function useWebhooks() {
  return useQuery(webhooksQuery());
}
