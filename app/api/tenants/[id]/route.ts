// GET, PATCH /api/tenants/{id} — one tenant: read, change name/status/metadata/placement.
import { getTenantEndpoint, updateTenantEndpoint } from "@/server/tenants/api";
import { getTenantOrThrow, updateTenant } from "@/server/tenants/service";
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";

export const GET = route(getTenantEndpoint, ({ params }) => getTenantOrThrow(params.id));

export const PATCH = route(updateTenantEndpoint, ({ params, body, principal, audit }) => {
  audit.details = { fields: Object.keys(body), status: body.status };
  return updateTenant(params.id, body, actorName(principal));
});
