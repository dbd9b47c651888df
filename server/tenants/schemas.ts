import { z } from "zod";
import { ZBaselineOnRegister, ZBaselineReport } from "../contracts/baseline";
import { zMetadata } from "../contracts/metadata";
import { TENANT_STATUSES } from "../domain/fleet";
import { schemaNameProblem, zSchemaName } from "../fleet/identifiers";

/**
 * Tenants: request and response shapes shared by the REST routes, the OpenAPI document, the server
 * actions and the forms. A tenant lives in one schema (`tenant_<slug>` unless given) of one
 * connection: its region's shared database, or a dedicated database of tier `tenant`.
 */

export const zSlug = z
  .string()
  .trim()
  .min(1, "slug must not be empty")
  .max(56, "slug must be at most 56 characters (tenant_<slug> must fit in 63 bytes)")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "slug must be lowercase letters, digits and dashes, e.g. acme-corp");

const zTenantName = z.string().trim().min(1, "name must not be empty").max(200, "name must be at most 200 characters");
const zRegion = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, "region must be lowercase letters, digits and dashes (e.g. eu-west-1)");
export const zTenantStatus = z.enum(TENANT_STATUSES, { message: `status must be one of ${TENANT_STATUSES.join(", ")}` });
/** Metadata as stored and returned (inputs are bounded: zMetadata). */
const zStoredMetadata = z.record(z.string(), z.unknown());

/** Schema names a tenant may not take: shared objects live in `public`. */
const RESERVED_TENANT_SCHEMAS = new Set(["public"]);

export const zTenantSchemaName = zSchemaName.refine((v) => !RESERVED_TENANT_SCHEMAS.has(v), {
  message: "schema name public holds the shared objects; a tenant needs its own schema",
});

/** `acme-corp` → `tenant_acme_corp`. */
export function defaultSchemaName(slug: string): string {
  return `tenant_${slug.replaceAll("-", "_")}`;
}

export const ZTenantCreate = z
  .strictObject({
    slug: zSlug,
    name: zTenantName,
    region: zRegion.optional().describe("defaults to the hosting connection's region"),
    connection_id: z.uuid({ message: "connection_id must be a UUID" }),
    schema_name: zTenantSchemaName.optional().describe("defaults to tenant_<slug>"),
    status: zTenantStatus.default("active"),
    metadata: zMetadata.default({}),
    create_schema: z.boolean().default(false).describe("create the schema on the hosting database"),
    baseline: ZBaselineOnRegister.optional(),
  })
  .transform((v) => ({ ...v, schema_name: v.schema_name ?? defaultSchemaName(v.slug) }))
  .superRefine((v, ctx) => {
    const problem = schemaNameProblem(v.schema_name);
    if (problem) ctx.addIssue({ code: "custom", path: ["schema_name"], message: `schema name ${problem}` });
  });
export type TenantCreate = z.infer<typeof ZTenantCreate>;
export type TenantCreateInput = z.input<typeof ZTenantCreate>;

export const ZTenantUpdate = z
  .strictObject({
    name: zTenantName.optional(),
    status: zTenantStatus.optional(),
    region: zRegion.optional(),
    connection_id: z.uuid({ message: "connection_id must be a UUID" }).optional(),
    schema_name: zTenantSchemaName.optional(),
    metadata: zMetadata.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "nothing to change" });
export type TenantUpdate = z.infer<typeof ZTenantUpdate>;
export type TenantUpdateInput = z.input<typeof ZTenantUpdate>;

export const ZTenantListQuery = z.strictObject({
  region: zRegion.optional(),
  status: zTenantStatus.optional(),
  connection_id: z.uuid({ message: "connection_id must be a UUID" }).optional(),
  search: z.string().trim().min(1).max(100).optional().describe("matches slug, name or schema name"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type TenantListQuery = z.infer<typeof ZTenantListQuery>;

export const ZTenantIdParams = z.strictObject({ id: z.uuid({ message: "id must be a UUID" }) });

export const ZTenant = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  region: z.string(),
  connection_id: z.uuid(),
  connection_name: z.string().nullable(),
  schema_name: z.string(),
  status: zTenantStatus,
  metadata: zStoredMetadata,
  created_by: z.string(),
  updated_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Tenant = z.infer<typeof ZTenant>;

/** A registered tenant, with what baselining its schema did when the request asked for it. */
export const ZTenantCreated = ZTenant.extend({
  baseline: ZBaselineReport.optional().describe("present when the request baselined the schema"),
});

export const ZTenantList = z.object({
  items: z.array(ZTenant),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type TenantList = z.infer<typeof ZTenantList>;

/** A LIKE pattern over schema names: identifier characters plus the `%` and `_` wildcards. */
const zSchemaPattern = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9_%]+$/, "pattern may contain lowercase letters, digits, _ and % (e.g. tenant_%)");

export const ZDiscoverQuery = z.strictObject({
  connection_id: z.uuid({ message: "connection_id must be a UUID" }),
  pattern: zSchemaPattern.default("tenant_%"),
  limit: z.coerce.number().int().min(1).max(5_000).default(500).describe("at most this many schemas, in name order"),
});
export type DiscoverQuery = z.infer<typeof ZDiscoverQuery>;

export const ZDiscoveredSchema = z.object({
  schema_name: z.string(),
  suggested_slug: z.string().nullable(),
  suggested_name: z.string(),
  problem: z.string().nullable().describe("why this schema cannot be registered as is"),
});

export const ZDiscoverResult = z.object({
  connection_id: z.uuid(),
  connection_name: z.string(),
  pattern: z.string(),
  schemas: z.array(ZDiscoveredSchema),
  total: z.number().int().describe("unregistered schemas matching the pattern; more than `schemas` when limited"),
});
export type DiscoverResult = z.infer<typeof ZDiscoverResult>;

export const ZDiscoverRegister = z.strictObject({
  connection_id: z.uuid({ message: "connection_id must be a UUID" }),
  status: zTenantStatus.default("active"),
  tenants: z
    .array(
      z.strictObject({
        schema_name: zTenantSchemaName,
        slug: zSlug.optional().describe("defaults to the schema name without tenant_, with dashes"),
        name: zTenantName.optional(),
        region: zRegion.optional(),
        metadata: zMetadata.optional(),
      }),
    )
    .min(1, "tenants must list at least one schema")
    .max(1000, "at most 1000 tenants per call"),
  baseline: ZBaselineOnRegister.optional(),
});
export type DiscoverRegister = z.infer<typeof ZDiscoverRegister>;

export const ZTenantBatch = z.object({
  items: z.array(ZTenant),
  baseline: ZBaselineReport.optional().describe("present when the request baselined the schemas"),
});
