// GET, PATCH, DELETE /api/databases/{id} — one registered database: read, change (re-tested), soft delete.
import { deleteDatabase, getDatabase, updateDatabase } from "@/server/databases/api";
import { deleteConnection, getConnectionOrThrow, updateConnection } from "@/server/databases/service";
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";

export const GET = route(getDatabase, ({ params }) => getConnectionOrThrow(params.id));

export const PATCH = route(updateDatabase, ({ params, body, principal, audit }) => {
  // Which fields changed, never their values (a password among them).
  audit.details = { fields: Object.keys(body).filter((k) => k !== "skip_test"), skip_test: body.skip_test };
  return updateConnection(params.id, body, actorName(principal));
});

export const DELETE = route(deleteDatabase, async ({ params, principal }) => {
  await deleteConnection(params.id, actorName(principal));
  return new Response(null, { status: 204 });
});
