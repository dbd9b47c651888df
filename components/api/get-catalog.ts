import { queryOptions, useQuery } from "@tanstack/react-query";
import type { CatalogView } from "@/server/migrations/plans/plan-schemas";
import { fetchJson } from "./fetch-json";

export type Catalog = CatalogView;
export type CatalogMigration = CatalogView["migrations"][number];

export const catalogKeys = { all: ["catalog"] as const };

/** GET /api/migrations/catalog — every migration file, in dependency order. */
export const catalogQuery = () =>
  queryOptions({
    queryKey: catalogKeys.all,
    queryFn: ({ signal }) => fetchJson<Catalog>("/api/migrations/catalog", { signal }),
    // The server reloads the catalog when a file changes; a minute-old copy is fine to read.
    staleTime: 60_000,
  });

export function useCatalog() {
  return useQuery(catalogQuery());
}
