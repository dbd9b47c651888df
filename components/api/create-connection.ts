import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createConnectionAction } from "@/server/actions/database-actions";
import { connectionKeys } from "./list-connections";
import { runAction } from "./run-action";

export type CreateConnectionInput = Parameters<typeof createConnectionAction>[0];

/**
 * Registers a database (server action `databases.create`, databases:manage). The server tests the
 * connection first unless `skip_test`; a 422 names each bad field (ApiError.fieldErrors).
 */
export function useCreateConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateConnectionInput) => runAction(createConnectionAction(input)),
    // Returned, so the caller's mutateAsync resolves once lists and pickers show the new database.
    onSuccess: () => client.invalidateQueries({ queryKey: connectionKeys.all }),
  });
}
