// GET /api/tenants/{id}/migrations — one tenant's applied and pending migrations, drift and blockers.
import { tenantMigrationsEndpoint } from "@/server/migrations/api";
import { tenantMigrations } from "@/server/migrations/executions/tenant-migrations";
import { route } from "@/server/http/route";

export const GET = route(tenantMigrationsEndpoint, ({ params }) => tenantMigrations(params.id));
