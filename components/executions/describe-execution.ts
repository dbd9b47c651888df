import type { ExecutionSummary } from "@/components/api/execution-types";
import { describeScope, type ScopeRequest } from "@/components/api/scope-request";

export const KIND_LABELS: Record<ExecutionSummary["kind"], string> = {
  migrate: "Migration",
  rehearsal: "Rehearsal",
  rollback: "Rollback",
};

/** The execution's scope as the API takes it again (to plan or execute the same targets). */
export function scopeOf(e: Pick<ExecutionSummary, "scope" | "params">): ScopeRequest {
  const p = e.params;
  return {
    scope: e.scope,
    ...(p.region ? { region: p.region } : {}),
    ...(p.tenant_ids ? { tenant_ids: p.tenant_ids } : {}),
    ...(p.database_id ? { database_id: p.database_id } : {}),
    ...(p.schema_name ? { schema_name: p.schema_name } : {}),
    ...(p.tenant_id ? { tenant_id: p.tenant_id } : {}),
    ...(p.include_providers ? { include_providers: true } : {}),
  };
}

/** "Rehearsal · Region eu-west-1" */
export function executionTitle(e: Pick<ExecutionSummary, "kind" | "scope" | "params" | "metadata" | "dry_run">): string {
  if (e.kind === "rollback") {
    const what = e.dry_run ? "Rehearsed rollback" : "Rollback";
    const original = typeof e.metadata.rollback_of === "string" ? e.metadata.rollback_of.slice(0, 8) : null;
    if (original) return `${what} of ${original}`;
    if (typeof e.metadata.to_version === "string") return `${what} · ${describeScope(scopeOf(e))} to ${e.metadata.to_version}`;
    return what;
  }
  if (typeof e.metadata.retry_of === "string") return `Retry of ${e.metadata.retry_of.slice(0, 8)} · ${describeScope(scopeOf(e))}`;
  return `${KIND_LABELS[e.kind]} · ${describeScope(scopeOf(e))}`;
}

/** The link that plans this execution's scope again. */
export function planHref(e: Pick<ExecutionSummary, "scope" | "params">): string {
  const s = scopeOf(e);
  const params = new URLSearchParams({ scope: s.scope });
  if (s.region) params.set("region", s.region);
  if (s.tenant_ids?.length) params.set("tenant_ids", s.tenant_ids.join(","));
  if (s.database_id) params.set("database_id", s.database_id);
  if (s.schema_name) params.set("schema_name", s.schema_name);
  if (s.tenant_id) params.set("tenant_id", s.tenant_id);
  if (s.include_providers) params.set("include_providers", "true");
  return `/plan?${params.toString()}`;
}
