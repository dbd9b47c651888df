import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";
import { webhookKeys } from "./list-webhooks";

/** DELETE /api/webhooks/{id} — its delivery log goes with it. */
export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<null>(`/api/webhooks/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}
