import type { Scope } from "@/server/domain/executions";
import type { ScopeInput } from "@/server/migrations/plans/scope";

/** Which targets a plan, an execution or a schedule covers, as the API takes it (the server's own type). */
export type ScopeRequest = ScopeInput;

export const SCOPE_LABELS: Record<Scope, string> = {
  all: "Whole fleet",
  admin: "Admin database",
  regional: "One region",
  tenant: "Tenants",
  single: "One database",
};

/** What is missing before the scope can be planned (the server says the same, with field names). */
export function scopeProblem(request: ScopeRequest): string | null {
  if (request.scope === "regional" && !request.region) return "Choose a region.";
  if (request.scope === "single" && !request.database_id) return "Choose a database.";
  if (request.scope === "tenant" && request.tenant_ids && request.tenant_ids.length === 0) return "Choose at least one tenant.";
  return null;
}

/** Only the fields the scope accepts: the API refuses the others (e.g. a region with scope tenant). */
export function normalizeScope(request: ScopeRequest): ScopeRequest {
  const own = ownFields(request);
  return request.include_providers ? { ...own, include_providers: true } : own;
}

/**
 * The scope without `include_providers`: the targets it names, as the history edits (baseline,
 * accept drift, resolve) take them.
 */
export function targetScope(request: ScopeRequest): ScopeRequest {
  return ownFields(request);
}

function ownFields(request: ScopeRequest): ScopeRequest {
  switch (request.scope) {
    case "regional":
      return { scope: "regional", ...(request.region ? { region: request.region } : {}) };
    case "tenant":
      return { scope: "tenant", ...(request.tenant_ids?.length ? { tenant_ids: [...request.tenant_ids].sort() } : {}) };
    case "single":
      return {
        scope: "single",
        ...(request.database_id ? { database_id: request.database_id } : {}),
        ...(request.schema_name ? { schema_name: request.schema_name } : {}),
        ...(request.tenant_id ? { tenant_id: request.tenant_id } : {}),
      };
    default:
      return { scope: request.scope };
  }
}

/** One line for people: "Region eu-west-1", "3 tenants", "Whole fleet", "1 tenant and what it needs". */
export function describeScope(request: ScopeRequest, names?: { database?: string }): string {
  const described = describeTargets(request, names);
  return request.include_providers && request.scope !== "all" ? `${described} and what it needs` : described;
}

function describeTargets(request: ScopeRequest, names?: { database?: string }): string {
  switch (request.scope) {
    case "regional":
      return request.region ? `Region ${request.region}` : "One region";
    case "tenant":
      return request.tenant_ids?.length
        ? `${request.tenant_ids.length} tenant${request.tenant_ids.length === 1 ? "" : "s"}`
        : "Every active tenant";
    case "single": {
      const db = names?.database ?? "One database";
      return request.schema_name ? `${db} · ${request.schema_name}` : db;
    }
    default:
      return SCOPE_LABELS[request.scope];
  }
}
