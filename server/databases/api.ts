import { defineEndpoint } from "../contracts/endpoint";
import {
  ZConnection,
  ZConnectionCreate,
  ZConnectionHealth,
  ZConnectionHealthQuery,
  ZConnectionList,
  ZConnectionListQuery,
  ZConnectionTestResult,
  ZConnectionUpdate,
  ZIdParams,
} from "./schemas";

const tags = ["Databases"];

export const listDatabases = defineEndpoint({
  method: "GET",
  path: "/api/databases",
  summary: "List registered databases",
  description: "Live (not deleted) connections, filtered by region, tier, active flag, health or a search text; paginated.",
  tags,
  access: "databases:read",
  query: ZConnectionListQuery,
  response: ZConnectionList,
});

export const createDatabase = defineEndpoint({
  method: "POST",
  path: "/api/databases",
  summary: "Register a database",
  description:
    "Tests the connection first (unless skip_test is true): a failed test is a 422 connection_failed with PostgreSQL's " +
    "error code and message, and nothing is saved. Names are unique among live connections; at most one active admin.",
  tags,
  access: "databases:manage",
  body: ZConnectionCreate,
  response: ZConnection,
  status: 201,
  action: "databases.create",
  resourceType: "connection",
});

export const getDatabase = defineEndpoint({
  method: "GET",
  path: "/api/databases/{id}",
  summary: "One registered database",
  tags,
  access: "databases:read",
  params: ZIdParams,
  response: ZConnection,
});

export const updateDatabase = defineEndpoint({
  method: "PATCH",
  path: "/api/databases/{id}",
  summary: "Change a registered database",
  description: "Changing host, port, database, user, password or SSL mode tests the new details first (unless skip_test).",
  tags,
  access: "databases:manage",
  params: ZIdParams,
  body: ZConnectionUpdate,
  response: ZConnection,
  action: "databases.update",
  resourceType: "connection",
});

export const deleteDatabase = defineEndpoint({
  method: "DELETE",
  path: "/api/databases/{id}",
  summary: "Remove a registered database (soft delete)",
  description: "Kept for history, gone from lists and plans. Refused (409) while it hosts tenants that are not archived.",
  tags,
  access: "databases:manage",
  params: ZIdParams,
  status: 204,
  action: "databases.delete",
  resourceType: "connection",
});

export const testDatabase = defineEndpoint({
  method: "POST",
  path: "/api/databases/{id}/test",
  summary: "Test a registered database now",
  description: "Opens a fresh session with a short timeout; the result (also recorded as a health check) says success or PostgreSQL's error.",
  tags,
  access: "databases:manage",
  params: ZIdParams,
  response: ZConnectionTestResult,
  action: "databases.test",
  resourceType: "connection",
});

export const getDatabaseHealth = defineEndpoint({
  method: "GET",
  path: "/api/databases/{id}/health",
  summary: "Health of a registered database: current state and recent checks",
  tags,
  access: "databases:read",
  params: ZIdParams,
  query: ZConnectionHealthQuery,
  response: ZConnectionHealth,
});
