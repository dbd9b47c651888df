import { useMutation, useQueryClient } from "@tanstack/react-query";
import { updateTenantAction } from "@/server/actions/tenant-actions";
import { tenantKeys } from "./list-tenants";
import { runAction } from "./run-action";

export type UpdateTenantInput = Parameters<typeof updateTenantAction>[0];

/** Renames, re-places or changes the status of a tenant (server action `tenants.update`). */
export function useUpdateTenant() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateTenantInput) => runAction(updateTenantAction(input)),
    onSuccess: () => client.invalidateQueries({ queryKey: tenantKeys.all }),
  });
}
