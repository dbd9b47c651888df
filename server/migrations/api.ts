import { defineEndpoint } from "../http/endpoint";
import { ZScopeQuery } from "./scope";
import { ZCatalog, ZPlan, ZPlanQuery, ZTargetsResponse } from "./plan-schemas";

const tags = ["Migrations"];

export const getCatalogEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/catalog",
  summary: "The migration catalog",
  description:
    "Every migration file of MIGRATIONS_DIR in dependency order, with checksum, directives, lint findings, source and " +
    "statements. Reloaded when a file changes. A catalog that cannot be loaded is a 503 naming the file and line.",
  tags,
  access: "migrations:read",
  response: ZCatalog,
});

export const getTargetsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/dynamic/targets",
  summary: "Targets of a scope",
  description:
    "Which (database, schema) targets a scope covers, from the registry (active databases and tenants only), plus the " +
    "providers outside the scope that satisfy cross-target requirements. Unknown region, tenant or database: 404; " +
    "an inactive one asked for explicitly: 409.",
  tags,
  access: "migrations:read",
  query: ZScopeQuery,
  response: ZTargetsResponse,
});

export const getPlanEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/migrations/dynamic/plan",
  summary: "Plan a scope",
  description:
    "Reads every target's history (in bulk, per database) and returns per target the pending migrations in order, " +
    "drift, interrupted migrations, cross-target requirements and lint findings, with totals and a fingerprint to pin " +
    "in POST /api/migrations/execute. Targets are paginated (limit, offset, status); totals cover the whole plan. A " +
    "database that cannot be read is listed under `unreachable` and its targets have status unreachable.",
  tags,
  access: "migrations:read",
  query: ZPlanQuery,
  response: ZPlan,
});
