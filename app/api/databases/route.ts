// GET /api/databases — list registered databases; POST /api/databases — register one (tested first).
import { createDatabase, listDatabases } from "@/server/databases/api";
import { createConnection, listConnections } from "@/server/databases/service";
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";

export const GET = route(listDatabases, ({ query }) => listConnections(query));

export const POST = route(createDatabase, async ({ body, principal, audit }) => {
  audit.details = { name: body.name, connection_type: body.connection_type, host: body.host, skip_test: body.skip_test };
  const created = await createConnection(body, actorName(principal));
  audit.resourceId = created.id;
  return created;
});
