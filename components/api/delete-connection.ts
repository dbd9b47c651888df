import { useMutation, useQueryClient } from "@tanstack/react-query";
import { deleteConnectionAction } from "@/server/actions/database-actions";
import { connectionKeys } from "./list-connections";
import { runAction } from "./run-action";

/**
 * Soft-deletes a database (server action `databases.delete`): it leaves lists, plans and health
 * checks; the record stays for past executions. A 409 while it still hosts tenants.
 */
export function useDeleteConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => runAction(deleteConnectionAction({ id })),
    onSuccess: () => client.invalidateQueries({ queryKey: connectionKeys.all }),
  });
}
