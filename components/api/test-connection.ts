import { useMutation, useQueryClient } from "@tanstack/react-query";
import { testConnectionAction } from "@/server/actions/database-actions";
import { connectionKeys } from "./list-connections";
import { runAction } from "./run-action";

/**
 * Tests a registered database now (server action `databases.test`). A failed connection is a
 * result (`success: false` with the PostgreSQL error), not an error.
 */
export function useTestConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => runAction(testConnectionAction({ id })),
    // The test records a health check, whatever its outcome: the lists and the chart show it.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: connectionKeys.all });
    },
  });
}
