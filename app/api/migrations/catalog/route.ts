// GET /api/migrations/catalog — the migration files, checked and in dependency order.
import { getCatalogEndpoint } from "@/server/migrations/api";
import { getCatalogOrThrow, getCatalogState } from "@/server/migrations/plans/catalog-store";
import { catalogView } from "@/server/migrations/plans/plan-view";
import { route } from "@/server/http/route";

export const GET = route(getCatalogEndpoint, async () => {
  const catalog = await getCatalogOrThrow();
  return catalogView(catalog, await getCatalogState());
});
