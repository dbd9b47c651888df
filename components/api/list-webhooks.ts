import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Webhook } from "@/server/webhooks/schemas";
import { fetchJson } from "./fetch-json";

export type { Webhook };

export const webhookKeys = {
  all: ["webhooks"] as const,
  deliveries: (id: string) => ["webhooks", id, "deliveries"] as const,
};

/** GET /api/webhooks — every endpoint with its newest delivery (infrastructure:admin). */
export const webhooksQuery = () =>
  queryOptions({
    queryKey: webhookKeys.all,
    queryFn: ({ signal }) => fetchJson<{ webhooks: Webhook[]; total: number }>("/api/webhooks?limit=200", { signal }),
  });

export function useWebhooks() {
  return useQuery(webhooksQuery());
}
