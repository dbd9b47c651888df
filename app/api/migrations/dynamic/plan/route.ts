// GET /api/migrations/dynamic/plan — what executing a scope would do, target by target.
import { getPlanEndpoint } from "@/server/migrations/api";
import { buildFleetPlan } from "@/server/migrations/plan-service";
import { planView } from "@/server/migrations/plan-view";
import { route } from "@/server/http/route";

export const GET = route(getPlanEndpoint, async ({ query }) => {
  const { status, limit, offset, ...scope } = query;
  return planView(await buildFleetPlan(scope), { status, limit, offset });
});
