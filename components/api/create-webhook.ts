import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { WebhookCreated } from "@/server/webhooks/schemas";
import type { WebhookEvent, WebhookFormat } from "@/server/domain/webhooks";
import { fetchJson } from "./fetch-json";
import { webhookKeys } from "./list-webhooks";

export type { WebhookCreated };

export interface CreateWebhookInput {
  name: string;
  url: string;
  events: WebhookEvent[];
  format: WebhookFormat;
  secret?: string;
}

/** POST /api/webhooks — the answer carries a generated secret once; a 422 names each bad field. */
export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateWebhookInput) => fetchJson<WebhookCreated>("/api/webhooks", { method: "POST", json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}
