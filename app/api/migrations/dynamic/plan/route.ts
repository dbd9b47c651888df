// GET /api/migrations/dynamic/plan — what executing a scope would do, target by target.
import { getPlanEndpoint } from "@/server/migrations/api";
import { buildFleetPlan } from "@/server/migrations/plans/plan-service";
import { saveSnapshot } from "@/server/migrations/plans/plan-snapshots";
import { planView } from "@/server/migrations/plans/plan-view";
import { reviewPlan } from "@/server/migrations/plans/plan-review";
import { route } from "@/server/http/route";

export const GET = route(getPlanEndpoint, async ({ query }) => {
  const { status, limit, offset, ...scope } = query;
  const fleet = await buildFleetPlan(scope);
  // Kept so that executing with this fingerprint later can be told what changed since.
  await saveSnapshot(fleet);
  return planView(fleet, { status, limit, offset }, await reviewPlan(fleet));
});
