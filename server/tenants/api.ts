import { defineEndpoint } from "../contracts/endpoint";
import {
  ZDiscoverQuery,
  ZDiscoverRegister,
  ZDiscoverResult,
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
  description: "Filtered by region, status, hosting connection or a search text; paginated.",
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
    "unless confirm_missing.",
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
