import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createTenantAction } from "@/server/actions/tenant-actions";
import { executionKeys } from "./list-executions";
import { tenantKeys } from "./list-tenants";
import { runAction } from "./run-action";

export type CreateTenantInput = Parameters<typeof createTenantAction>[0];

/**
 * Registers a tenant on a database (server action `tenants.create`, databases:manage), creating its
 * schema there when asked and, with `migrate` (migrations:execute), starting its migration to the
 * catalog's head: the result's `migration` names the execution. A 422 names each bad field
 * (ApiError.fieldErrors).
 */
export function useCreateTenant() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTenantInput) => runAction(createTenantAction(input)),
    // Returned, so the caller's mutateAsync resolves once the lists show the new tenant.
    onSuccess: (created) =>
      Promise.all([
        client.invalidateQueries({ queryKey: tenantKeys.all }),
        created.migration?.execution ? client.invalidateQueries({ queryKey: executionKeys.lists }) : undefined,
      ]),
  });
}
