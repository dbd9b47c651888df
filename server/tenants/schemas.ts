import { z } from "zod";
import { ZBaselineOnRegister, ZBaselineReport } from "../contracts/baseline";
import { zMetadata } from "../contracts/metadata";
import { ZMigrationState, zMigrationStateFilter } from "../contracts/migration-state";
import { EXECUTION_STATUSES } from "../domain/executions";
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
    migrate: z
      .boolean()
      .default(false)
      .describe(
        "apply the tenant tier up to the catalog's head right after registering (needs migrations:execute too), as an " +
          "ordinary execution of scope single; the result's `migration` says what happened",
      ),
  })
  .transform((v) => ({ ...v, schema_name: v.schema_name ?? defaultSchemaName(v.slug) }))
  .superRefine((v, ctx) => {
    const problem = schemaNameProblem(v.schema_name);
    if (problem) ctx.addIssue({ code: "custom", path: ["schema_name"], message: `schema name ${problem}` });
    if (v.migrate && v.status !== "active") {
      ctx.addIssue({
        code: "custom",
        path: ["migrate"],
        message: `migrate needs status active: a ${v.status} tenant is left out of plans`,
      });
    }
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

export const TENANT_SORTS = ["tenant", "version", "pending", "last_run"] as const;

export const ZTenantListQuery = z.strictObject({
  region: zRegion.optional(),
  status: zTenantStatus.optional(),
  connection_id: z.uuid({ message: "connection_id must be a UUID" }).optional(),
  search: z.string().trim().min(1).max(100).optional().describe("matches slug, name or schema name"),
  state: zMigrationStateFilter
    .optional()
    .describe(
      "at_head: nothing pending; behind: something of the tenant tier's catalog not applied; failed: the last execution " +
        "failed on it; blocked: drift, an interrupted migration or a catalog problem; unknown: its history was never read",
    ),
  sort: z
    .enum(TENANT_SORTS, { message: `sort must be one of ${TENANT_SORTS.join(", ")}` })
    .default("tenant")
    .describe("tenant: region then slug; version; pending; last_run"),
  order: z.enum(["asc", "desc"], { message: "order must be asc or desc" }).default("asc"),
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

/**
 * What `migrate: true` did once the tenant was registered. The tenant is registered whatever the
 * outcome: a migration that cannot start is reported here, never by undoing the registration.
 */
export const ONBOARDING_OUTCOMES = ["started", "awaiting_approval", "up_to_date", "blocked", "not_started"] as const;
export type OnboardingOutcome = (typeof ONBOARDING_OUTCOMES)[number];

export const ZOnboardingMigration = z.object({
  outcome: z
    .enum(ONBOARDING_OUTCOMES)
    .describe(
      "started: the execution is queued or running; awaiting_approval: recorded, waits for an approver; up_to_date: " +
        "nothing was pending (the execution ended at once); blocked: the execution was recorded but its target cannot run " +
        "(reasons: e.g. a requirement on the region's shared or the admin database not applied yet; migrate the tenant " +
        "again once it is); not_started: no execution was recorded (error says why)",
    ),
  execution: z
    .object({
      id: z.uuid().describe("follow it: GET /api/migrations/status/{id}, its events, or /executions/{id} in the console"),
      status: z.enum(EXECUTION_STATUSES),
      pending_migrations: z.number().int().describe("migrations the execution applies to the tenant"),
    })
    .nullable(),
  reasons: z.array(z.string()).describe("why the target is blocked"),
  error: z.object({ code: z.string(), message: z.string() }).nullable().describe("not_started: why no execution was recorded"),
  message: z.string().describe("what happened, in one sentence"),
});
export type OnboardingMigration = z.infer<typeof ZOnboardingMigration>;

/** A registered tenant, with what baselining and migrating its schema did when the request asked for them. */
export const ZTenantCreated = ZTenant.extend({
  baseline: ZBaselineReport.optional().describe("present when the request baselined the schema"),
  migration: ZOnboardingMigration.optional().describe("present when the request asked to migrate the tenant (migrate: true)"),
});
export type TenantCreated = z.infer<typeof ZTenantCreated>;

/** A tenant in a list, with what the console last read of its schema's migrations. */
export const ZTenantListItem = ZTenant.extend({
  migration_state: ZMigrationState.nullable().describe("null when the console has never read the tenant's schema"),
});
export type TenantListItem = z.infer<typeof ZTenantListItem>;

export const ZTenantList = z.object({
  items: z.array(ZTenantListItem),
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

/** DELETE /api/tenants/{id}/schema: the operator types the schema's name; the server compares it. */
export const ZSchemaDropRequest = z.strictObject({
  confirm: z
    .string({ message: "confirm must be the tenant's schema name" })
    .trim()
    .min(1, "confirm must be the tenant's schema name")
    .max(63, "confirm must be the tenant's schema name")
    .describe("the tenant's schema name, typed out: anything else is refused (422 naming confirm)"),
});
export type SchemaDropRequest = z.infer<typeof ZSchemaDropRequest>;

export const RELATION_KINDS = ["table", "partitioned table", "view", "materialized view", "foreign table"] as const;
export const TYPE_KINDS = ["enum", "composite", "domain", "range"] as const;
export const ROUTINE_KINDS = ["function", "procedure", "aggregate", "window function"] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];
export type TypeKind = (typeof TYPE_KINDS)[number];
export type RoutineKind = (typeof ROUTINE_KINDS)[number];

export const ZSchemaObjects = z.object({
  relations: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(RELATION_KINDS),
      rows: z.number().int().nullable().describe("counted (tables and materialized views); null when not counted or too slow to count"),
      rows_estimate: z.number().int().nullable().describe("PostgreSQL's statistics; null when never analysed"),
      bytes: z.number().int().describe("on disk, indexes and TOAST included"),
    }),
  ),
  sequences: z.array(z.object({ name: z.string() })),
  types: z.array(z.object({ name: z.string(), kind: z.enum(TYPE_KINDS) })),
  functions: z.array(z.object({ name: z.string(), arguments: z.string(), kind: z.enum(ROUTINE_KINDS) })),
  outside_dependents: z
    .array(z.object({ type: z.string(), identity: z.string() }))
    .describe("objects in other schemas that depend on this one (a cascade would take them along): the drop is refused while any exist"),
});
export type SchemaObjects = z.infer<typeof ZSchemaObjects>;

export const ZSchemaDropPreview = ZSchemaObjects.extend({
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), status: zTenantStatus }),
  database_id: z.uuid(),
  connection_name: z.string(),
  database_name: z.string(),
  schema_name: z.string().describe("what to type as confirm"),
  exists: z.boolean(),
  total_rows: z.number().int().describe("sum of the counted rows"),
  total_bytes: z.number().int(),
  blockers: z.array(z.string()).describe("why DELETE /api/tenants/{id}/schema would be refused right now; empty when it would drop"),
});
export type SchemaDropPreview = z.infer<typeof ZSchemaDropPreview>;

export const ZSchemaDropResult = z.object({
  tenant_id: z.uuid(),
  database_id: z.uuid(),
  connection_name: z.string(),
  schema_name: z.string(),
  dropped: z.object({
    relations: z.number().int(),
    rows: z.number().int().describe("rows counted in the tables just before the drop"),
    sequences: z.number().int(),
    types: z.number().int(),
    functions: z.number().int(),
  }),
  dropped_at: z.string(),
});
export type SchemaDropResult = z.infer<typeof ZSchemaDropResult>;
