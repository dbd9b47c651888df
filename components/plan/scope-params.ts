import { normalizeScope, type ScopeRequest } from "@/components/api/scope-request";
import type { Scope } from "@/server/domain/executions";

const SCOPES: readonly Scope[] = ["all", "admin", "regional", "tenant", "single"];

/** Reads a scope from the page's URL (`?scope=regional&region=eu-west-1`); null when none is chosen. */
export function scopeFromParams(params: URLSearchParams): ScopeRequest | null {
  const scope = params.get("scope");
  if (!scope || !SCOPES.includes(scope as Scope)) return null;
  const list = (params.get("tenant_ids") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return normalizeScope({
    scope: scope as Scope,
    region: params.get("region") ?? undefined,
    tenant_ids: list.length ? list : undefined,
    database_id: params.get("database_id") ?? undefined,
    schema_name: params.get("schema_name") ?? undefined,
    tenant_id: params.get("tenant_id") ?? undefined,
    include_providers: params.get("include_providers") === "true" ? true : undefined,
  });
}

/** Writes a scope into URL parameters, dropping what the scope does not take; other parameters stay. */
export function scopeToParams(request: ScopeRequest, base?: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(base);
  for (const key of ["scope", "region", "tenant_ids", "database_id", "schema_name", "tenant_id", "include_providers"]) next.delete(key);
  const s = normalizeScope(request);
  next.set("scope", s.scope);
  if (s.region) next.set("region", s.region);
  if (s.tenant_ids?.length) next.set("tenant_ids", s.tenant_ids.join(","));
  if (s.database_id) next.set("database_id", s.database_id);
  if (s.schema_name) next.set("schema_name", s.schema_name);
  if (s.tenant_id) next.set("tenant_id", s.tenant_id);
  if (s.include_providers) next.set("include_providers", "true");
  return next;
}

/** Whether two scopes cover the same targets (tenant order does not matter). */
export function sameScope(a: ScopeRequest, b: ScopeRequest): boolean {
  return JSON.stringify(normalizeScope(a)) === JSON.stringify(normalizeScope(b));
}
