// GET /api/migrations/fleet-state — targets per tier and region at head, behind, blocked, failed last run.
import { getFleetStateEndpoint } from "@/server/migrations/api";
import { fleetState } from "@/server/migrations/plans/fleet-state";
import { route } from "@/server/http/route";

export const GET = route(getFleetStateEndpoint, ({ query }) => fleetState(query));
