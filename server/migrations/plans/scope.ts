import { z } from "zod";
import { SCOPES, type ExecutionParams, type Scope } from "../../domain/executions";
import { zSchemaName } from "../../fleet/identifiers";

/**
 * Which targets a plan, an execution or a schedule covers (the original MigrationScope):
 *  - `all`: every active database's own target and every active tenant;
 *  - `admin`: the admin database;
 *  - `regional` + `region`: the region's shared and analytics databases and its tenants;
 *  - `tenant`: every active tenant, or the `tenant_ids` given;
 *  - `single` + `database_id`: one database's own target (a dedicated tenant database: its
 *    tenants), or with `schema_name` / `tenant_id` exactly that target.
 * With `include_providers`, any scope also takes the targets outside it that its targets wait for
 * (their region's shared target, the admin database) when those have the required migrations
 * pending: a plan blocked only by its providers becomes runnable, providers first.
 */

const zRegion = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, "region must be lowercase letters, digits and dashes (e.g. eu-west-1)");

/** `a,b` or repeated `tenant_ids=a&tenant_ids=b` in a query string; a JSON array in a body. */
const zUuidList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.uuid({ message: "tenant_ids must be UUIDs" })).min(1, "tenant_ids must not be empty").max(10_000),
);

/** `true`/`false` in a query string, a JSON boolean in a body. */
const zFlag = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean({ message: "must be true or false" }));

/** The scope's own fields: which targets it names (the targets endpoint takes only these). */
export const targetScopeFields = {
  scope: z.enum(SCOPES, { message: `scope must be one of ${SCOPES.join(", ")}` }),
  region: zRegion.optional().describe("required with scope regional"),
  tenant_ids: zUuidList.optional().describe("scope tenant: only these tenants (default: every active tenant)"),
  database_id: z.uuid({ message: "database_id must be a UUID" }).optional().describe("required with scope single"),
  schema_name: zSchemaName.optional().describe("scope single: one schema of the database"),
  tenant_id: z.uuid({ message: "tenant_id must be a UUID" }).optional().describe("scope single: one tenant of the database"),
};

/** A scope as plans, executions and schedules take it. */
export const scopeFields = {
  ...targetScopeFields,
  include_providers: zFlag
    .optional()
    .describe(
      "also take the targets outside the scope whose pending migrations the scope's targets require (their region's shared " +
        "target, the admin database); they run first. See `providers_needed` in a plan",
    ),
};

export interface ScopeInput {
  scope: Scope;
  region?: string;
  tenant_ids?: string[];
  database_id?: string;
  schema_name?: string;
  tenant_id?: string;
  include_providers?: boolean;
}

type Issue = { path: string; message: string };

/** The combinations the scopes accept; each problem names its field. */
export function scopeProblems(v: ScopeInput): Issue[] {
  const issues: Issue[] = [];
  const forbid = (field: keyof ScopeInput, allowedWith: string) => {
    if (v[field] !== undefined) issues.push({ path: field, message: `${field} is only accepted with ${allowedWith}` });
  };
  if (v.scope === "regional" && !v.region) issues.push({ path: "region", message: "region is required with scope regional" });
  if (v.scope !== "regional") forbid("region", "scope regional");
  if (v.scope !== "tenant") forbid("tenant_ids", "scope tenant");
  if (v.scope === "single") {
    if (!v.database_id) issues.push({ path: "database_id", message: "database_id is required with scope single" });
    if (v.schema_name && v.tenant_id) issues.push({ path: "tenant_id", message: "give schema_name or tenant_id, not both" });
  } else {
    forbid("database_id", "scope single");
    forbid("schema_name", "scope single");
    forbid("tenant_id", "scope single");
  }
  return issues;
}

/** Adds scopeProblems to a zod object that spreads `scopeFields`. */
export function refineScope<T extends ScopeInput>(value: T, ctx: z.RefinementCtx): void {
  for (const issue of scopeProblems(value)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
}

/** How a scope is stored on executions and schedules (camelCase jsonb, see ExecutionParams). */
export function toExecutionParams(input: ScopeInput): ExecutionParams {
  const params: ExecutionParams = {};
  if (input.region) params.region = input.region;
  if (input.tenant_ids) params.tenantIds = input.tenant_ids;
  if (input.database_id) params.databaseId = input.database_id;
  if (input.schema_name) params.schemaName = input.schema_name;
  if (input.tenant_id) params.tenantId = input.tenant_id;
  if (input.include_providers) params.includeProviders = true;
  return params;
}

export function fromExecutionParams(scope: Scope, params: ExecutionParams): ScopeInput {
  return {
    scope,
    ...(params.region ? { region: params.region } : {}),
    ...(params.tenantIds ? { tenant_ids: params.tenantIds } : {}),
    ...(params.databaseId ? { database_id: params.databaseId } : {}),
    ...(params.schemaName ? { schema_name: params.schemaName } : {}),
    ...(params.tenantId ? { tenant_id: params.tenantId } : {}),
    ...(params.includeProviders ? { include_providers: true } : {}),
  };
}

/** The scope's parameters as the API shows them: every field, null when not set. */
export const ZScopeParamsView = z.object({
  region: z.string().nullable(),
  tenant_ids: z.array(z.string()).nullable(),
  database_id: z.string().nullable(),
  schema_name: z.string().nullable(),
  tenant_id: z.string().nullable(),
  include_providers: z.boolean().describe("the scope takes the providers its targets need"),
});

/** The scope's parameters as the API shows them (snake_case, null for those not set). */
export function scopeParamsView(params: ExecutionParams): z.infer<typeof ZScopeParamsView> {
  return {
    region: params.region ?? null,
    tenant_ids: params.tenantIds ?? null,
    database_id: params.databaseId ?? null,
    schema_name: params.schemaName ?? null,
    tenant_id: params.tenantId ?? null,
    include_providers: params.includeProviders ?? false,
  };
}
