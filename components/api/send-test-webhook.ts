import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { WebhookDelivery } from "@/server/webhooks/schemas";
import { fetchJson } from "./fetch-json";
import { webhookKeys } from "./list-webhooks";

/** POST /api/webhooks/{id}/test — queues a signed test delivery; the log shows how it went. */
export function useSendTestWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<WebhookDelivery>(`/api/webhooks/${encodeURIComponent(id)}/test`, { method: "POST" }),
    // The list's "last delivery" and the endpoint's log both change.
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}
