import { useMutation, useQueryClient } from "@tanstack/react-query";
import { updateConnectionAction } from "@/server/actions/database-actions";
import { connectionKeys } from "./list-connections";
import { runAction } from "./run-action";

export type UpdateConnectionInput = Parameters<typeof updateConnectionAction>[0];

/** Edits a database (server action `databases.update`); changed connection details are tested before saving. */
export function useUpdateConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateConnectionInput) => runAction(updateConnectionAction(input)),
    onSuccess: () => client.invalidateQueries({ queryKey: connectionKeys.all }),
  });
}
