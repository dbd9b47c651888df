// POST /api/databases/{id}/test — connect to a registered database now and report the outcome.
import { testDatabase } from "@/server/databases/api";
import { testConnection } from "@/server/databases/service";
import { route } from "@/server/http/route";

export const POST = route(testDatabase, ({ params }) => testConnection(params.id));
