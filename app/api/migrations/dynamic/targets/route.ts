// GET /api/migrations/dynamic/targets — which targets a scope covers, from the registry.
import { getTargetsEndpoint } from "@/server/migrations/api";
import { discoverTargets } from "@/server/migrations/plans/discover-targets";
import { targetsView } from "@/server/migrations/plans/plan-view";
import { route } from "@/server/http/route";

export const GET = route(getTargetsEndpoint, async ({ query }) =>
  targetsView(await discoverTargets(query), query.scope, { limit: query.limit, offset: query.offset }),
);
