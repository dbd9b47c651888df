"use server";

import { z } from "zod";
import { actorName } from "../auth/principal";
import { action } from "../http/action";
import { ZConnectionCreate, ZConnectionUpdate, ZTestDetails } from "../databases/schemas";
import {
  createConnection,
  deleteConnection,
  testConnection,
  testConnectionDetails,
  updateConnection,
} from "../databases/service";

/**
 * The Databases page's writes: the same schemas and services as POST/PATCH/DELETE /api/databases,
 * with the session, permission check and audit of `action()`. Components call them only through
 * the hooks in components/api (create-connection.ts and its neighbours).
 */

const ZId = z.strictObject({ id: z.uuid() });

export const createConnectionAction = action(
  { name: "databases.create", permission: "databases:manage", input: ZConnectionCreate, resourceType: "connection" },
  async ({ input, principal, audit }) => {
    audit.details = { name: input.name, connection_type: input.connection_type, host: input.host, skip_test: input.skip_test };
    const created = await createConnection(input, actorName(principal));
    audit.resourceId = created.id;
    return created;
  },
);

export const updateConnectionAction = action(
  {
    name: "databases.update",
    permission: "databases:manage",
    input: z.strictObject({ id: z.uuid(), changes: ZConnectionUpdate }),
    resourceType: "connection",
  },
  async ({ input, principal, audit }) => {
    audit.resourceId = input.id;
    audit.details = { fields: Object.keys(input.changes).filter((k) => k !== "skip_test") };
    return updateConnection(input.id, input.changes, actorName(principal));
  },
);

export const deleteConnectionAction = action(
  { name: "databases.delete", permission: "databases:manage", input: ZId, resourceType: "connection" },
  async ({ input, principal, audit }) => {
    audit.resourceId = input.id;
    await deleteConnection(input.id, actorName(principal));
    return { id: input.id };
  },
);

export const testConnectionAction = action(
  { name: "databases.test", permission: "databases:manage", input: ZId, resourceType: "connection" },
  async ({ input, audit }) => {
    audit.resourceId = input.id;
    return testConnection(input.id);
  },
);

export const testConnectionDetailsAction = action(
  { name: "databases.test_details", permission: "databases:manage", input: ZTestDetails, resourceType: "connection" },
  async ({ input, audit }) => {
    audit.details = { host: input.host, port: input.port, database_name: input.database_name };
    if (input.connection_id) audit.resourceId = input.connection_id;
    return testConnectionDetails(input);
  },
);
