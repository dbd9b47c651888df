import { useQueryClient } from "@tanstack/react-query";

/**
 * "Check now" on the Health page: reads every health query again at once (basic, detailed,
 * migrations and metrics; their keys all start with "health").
 */
export function useRefreshHealth() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ["health"] });
}
