import { useMutation, useQueryClient } from "@tanstack/react-query";
import { registerDiscoveredAction } from "@/server/actions/tenant-actions";
import { tenantKeys } from "./list-tenants";
import { runAction } from "./run-action";

export type RegisterDiscoveredTenantsInput = Parameters<typeof registerDiscoveredAction>[0];

/**
 * Registers discovered schemas as tenants, all or nothing (server action `tenants.register_discovered`);
 * a 422's field paths are `tenants.<index>.<field>`.
 */
export function useRegisterDiscoveredTenants() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: RegisterDiscoveredTenantsInput) => runAction(registerDiscoveredAction(input)),
    onSuccess: () => client.invalidateQueries({ queryKey: tenantKeys.all }),
  });
}
