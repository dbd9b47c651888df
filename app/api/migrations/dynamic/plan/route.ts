// GET /api/migrations/dynamic/plan — what executing a scope would do, target by target.
import { getPlanEndpoint } from "@/server/migrations/api";
import { planPage } from "@/server/migrations/plans/kept-plans";
import { route } from "@/server/http/route";

export const GET = route(getPlanEndpoint, ({ query }) => planPage(query));
