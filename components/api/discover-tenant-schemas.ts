import { useMutation } from "@tanstack/react-query";
import { discoverSchemasAction } from "@/server/actions/tenant-actions";
import { runAction } from "./run-action";

export type DiscoverTenantSchemasInput = Parameters<typeof discoverSchemasAction>[0];

/**
 * Lists the schemas on a database that match a pattern and are not registered yet (server action
 * `tenants.discover`, databases:manage). A read, but one an operator starts from a form and the
 * audit log records, so it is a mutation: it runs when asked, never on its own or on a refocus.
 */
export function useDiscoverTenantSchemas() {
  return useMutation({
    mutationFn: (input: DiscoverTenantSchemasInput) => runAction(discoverSchemasAction(input)),
  });
}
