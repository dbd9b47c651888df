import { useMutation } from "@tanstack/react-query";
import { testConnectionDetailsAction } from "@/server/actions/database-actions";
import { runAction } from "./run-action";

export type TestConnectionDetailsInput = Parameters<typeof testConnectionDetailsAction>[0];

/**
 * Tries typed connection details without saving them (server action `databases.test_details`);
 * editing a saved database, its stored password stands in for an empty one while host and port are
 * unchanged. Nothing is recorded, so no cached data changes.
 */
export function useTestConnectionDetails() {
  return useMutation({
    mutationFn: (input: TestConnectionDetailsInput) => runAction(testConnectionDetailsAction(input)),
  });
}
