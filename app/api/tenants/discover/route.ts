// GET /api/tenants/discover — unregistered schemas matching a pattern on a database;
// POST /api/tenants/discover — register a list of them as tenants, all or nothing.
import { discoverTenantsEndpoint, registerDiscoveredEndpoint } from "@/server/tenants/api";
import { discoverSchemas, registerDiscovered } from "@/server/tenants/discovery";
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";

export const GET = route(discoverTenantsEndpoint, ({ query }) => discoverSchemas(query));

export const POST = route(registerDiscoveredEndpoint, async ({ body, principal, audit }) => {
  audit.details = { connection_id: body.connection_id, schemas: body.tenants.map((t) => t.schema_name) };
  return registerDiscovered(body, actorName(principal));
});
