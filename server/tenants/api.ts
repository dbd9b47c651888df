import { defineEndpoint } from "../contracts/endpoint";
import {
  ZDiscoverQuery,
  ZDiscoverRegister,
  ZDiscoverResult,
  ZSchemaDropPreview,
  ZSchemaDropRequest,
  ZSchemaDropResult,
  ZTenant,
  ZTenantBatch,
  ZTenantCreate,
  ZTenantCreated,
  ZTenantIdParams,
  ZTenantList,
  ZTenantListQuery,
  ZTenantUpdate,
} from "./schemas";

const tags = ["Tenants"];

export const listTenantsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/tenants",
  summary: "List tenants",
  description:
    "Filtered by region, status, hosting connection, a search text or migration state; sorted by tenant, version, " +
    "pending or last run; paginated. Each tenant carries what the console last read of its schema (highest applied " +
    "version, pending count against the catalog now, what blocks it, the last execution's outcome): kept current by " +
    "plans, executions, baselines and resolves, so listing reads no fleet database.",
  tags,
  access: "migrations:read",
  query: ZTenantListQuery,
  response: ZTenantList,
});

export const createTenantEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/tenants",
  summary: "Register a tenant",
  description:
    "The hosting connection must be a live shared database (same region) or a dedicated tenant database. " +
    "schema_name defaults to tenant_<slug>; create_schema: true creates it on the hosting database. With baseline " +
    "(which also needs migrations:manage) an existing schema is marked as migrated up to a version in the same call: " +
    "its objects are checked first, and a schema lacking some is refused (409 with the list, nothing registered) " +
    "unless confirm_missing. With migrate (which also needs migrations:execute) the tenant is then brought to the " +
    "catalog's head by an ordinary execution of scope single (its database and id), the same as POST " +
    "/api/tenants/{id}/migrate: `migration` carries the execution's id and status to follow it. The tenant is " +
    "registered whatever happens to the migration, and `migration.outcome` says what did: started (or " +
    "awaiting_approval), up_to_date, blocked (the execution was recorded but nothing ran, e.g. the region's shared " +
    "or the admin database lacks a migration the tenant tier requires: apply it, then migrate the tenant again), or " +
    "not_started (no execution could be planned; `migration.error` says why). Without create_schema, migrate takes " +
    "the schema as it is: its history table says what is pending (baseline it in the same call when it already " +
    "holds the tables), and a schema that does not exist yet is created by the migration.",
  tags,
  access: "databases:manage",
  body: ZTenantCreate,
  response: ZTenantCreated,
  status: 201,
  action: "tenants.create",
  resourceType: "tenant",
});

export const getTenantEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/tenants/{id}",
  summary: "One tenant",
  tags,
  access: "migrations:read",
  params: ZTenantIdParams,
  response: ZTenant,
});

export const updateTenantEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/api/tenants/{id}",
  summary: "Change a tenant (name, status, metadata, placement)",
  tags,
  access: "databases:manage",
  params: ZTenantIdParams,
  body: ZTenantUpdate,
  response: ZTenant,
  action: "tenants.update",
  resourceType: "tenant",
});

export const discoverTenantsEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/tenants/discover",
  summary: "Schemas on a database that match a pattern and are not registered as tenants",
  tags,
  access: "databases:manage",
  query: ZDiscoverQuery,
  response: ZDiscoverResult,
});

export const registerDiscoveredEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/tenants/discover",
  summary: "Register discovered schemas as tenants (all or nothing)",
  description:
    "Every entry is checked (schema exists and is unregistered, slug valid and free), then all become tenants or none. " +
    "With baseline (which also needs migrations:manage) the schemas are marked as migrated up to a version in the same " +
    "call: their objects are checked before anything is registered, and a refusal (409 with the missing objects per " +
    "schema) registers nothing unless confirm_missing.",
  tags,
  access: "databases:manage",
  body: ZDiscoverRegister,
  response: ZTenantBatch,
  status: 201,
  action: "tenants.register_discovered",
  resourceType: "tenant",
});

export const tenantSchemaDropPreviewEndpoint = defineEndpoint({
  method: "GET",
  path: "/api/tenants/{id}/drop-preview",
  summary: "What dropping a tenant's schema would remove",
  description:
    "Read on the tenant's database: every table and view with its row count (exact, or null with the estimate " +
    "when too slow to count) and size, the sequences, types and functions of the schema, objects elsewhere that " +
    "depend on it, and `blockers`: why DELETE /api/tenants/{id}/schema would be refused right now.",
  tags,
  access: "infrastructure:admin",
  params: ZTenantIdParams,
  response: ZSchemaDropPreview,
  errors: [409],
});

export const dropTenantSchemaEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/api/tenants/{id}/schema",
  summary: "Drop a tenant's schema and everything in it (irreversible)",
  description:
    "The body's confirm must be the tenant's schema name, typed out (422 naming confirm otherwise). Refused with " +
    "nothing dropped (409) while the tenant is active (suspend or archive it first), while an execution still has " +
    "to run on it, while a migration holds its lock, while objects outside the schema depend on it, or when it " +
    "does not exist. The tenant stays registered with its status. Deactivating a tenant never drops its schema: " +
    "this is the only way the console does.",
  tags,
  access: "infrastructure:admin",
  params: ZTenantIdParams,
  body: ZSchemaDropRequest,
  response: ZSchemaDropResult,
  action: "tenants.drop_schema",
  resourceType: "tenant",
});
