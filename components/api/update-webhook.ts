import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Webhook, WebhookUpdate } from "@/server/webhooks/schemas";
import { fetchJson } from "./fetch-json";
import { webhookKeys } from "./list-webhooks";

/** PATCH /api/webhooks/{id} — enable, disable, change or give a new secret. */
export function useUpdateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: WebhookUpdate }) =>
      fetchJson<Webhook>(`/api/webhooks/${encodeURIComponent(id)}`, { method: "PATCH", json: changes }),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}
