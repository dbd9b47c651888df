"use server";

import { z } from "zod";
import { actorName } from "../auth/principal";
import { action } from "../http/action";
import { registerDiscoveredWithBaseline } from "../migrations/history-edits/register-tenants";
import { onboardingAuditDetails, onboardTenant } from "../tenant-lifecycle/onboard-tenant";
import { discoverSchemas } from "../tenants/discovery";
import { ZDiscoverQuery, ZDiscoverRegister, ZTenantCreate, ZTenantUpdate } from "../tenants/schemas";
import { updateTenant } from "../tenants/service";

/**
 * The Tenants page's writes: the same schemas and services as POST/PATCH /api/tenants and
 * /api/tenants/discover, with the session, permission check and audit of `action()`. Components
 * call them only through the hooks in components/api (create-tenant.ts and its neighbours).
 */

export const createTenantAction = action(
  { name: "tenants.create", permission: "databases:manage", input: ZTenantCreate, resourceType: "tenant" },
  async ({ input, principal, audit }) => {
    audit.details = {
      slug: input.slug,
      connection_id: input.connection_id,
      schema_name: input.schema_name,
      create_schema: input.create_schema,
      migrate: input.migrate,
    };
    const created = await onboardTenant(input, principal);
    audit.resourceId = created.id;
    if (created.migration) audit.details.migration = onboardingAuditDetails(created.migration);
    return created;
  },
);

export const updateTenantAction = action(
  {
    name: "tenants.update",
    permission: "databases:manage",
    input: z.strictObject({ id: z.uuid(), changes: ZTenantUpdate }),
    resourceType: "tenant",
  },
  async ({ input, principal, audit }) => {
    audit.resourceId = input.id;
    audit.details = { fields: Object.keys(input.changes), status: input.changes.status };
    return updateTenant(input.id, input.changes, actorName(principal));
  },
);

/** Discovery reads a fleet database; it is part of registering, so it needs databases:manage too. */
export const discoverSchemasAction = action(
  { name: "tenants.discover", permission: "databases:manage", input: ZDiscoverQuery, resourceType: "tenant" },
  async ({ input }) => discoverSchemas(input),
);

export const registerDiscoveredAction = action(
  { name: "tenants.register_discovered", permission: "databases:manage", input: ZDiscoverRegister, resourceType: "tenant" },
  async ({ input, principal, audit }) => {
    audit.details = { connection_id: input.connection_id, schemas: input.tenants.map((t) => t.schema_name), baseline: input.baseline ?? null };
    return registerDiscoveredWithBaseline(input, principal);
  },
);
