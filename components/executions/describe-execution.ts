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

/**
 * "Rehearsal · shared-eu-west-1 · tenant 0001–0006 (6 migrations)": the kind, what it covers (the
 * database or tenant it was created for, else its scope) and the range of migrations it runs, from
 * what the server kept in its metadata when it was created.
 */
export function executionTitle(e: Pick<ExecutionSummary, "kind" | "scope" | "params" | "metadata" | "dry_run">): string {
  const range = migrationRange(e.metadata);
  const subject = typeof e.metadata.subject === "string" ? e.metadata.subject : describeScope(scopeOf(e));
  if (e.kind === "rollback") {
    const what = e.dry_run ? "Rehearsed rollback" : "Rollback";
    const original = typeof e.metadata.rollback_of === "string" ? e.metadata.rollback_of.slice(0, 8) : null;
    const title = original
      ? `${what} of ${original}`
      : typeof e.metadata.to_version === "string"
        ? `${what} · ${subject} to ${e.metadata.to_version}`
        : what;
    return [title, range].filter(Boolean).join(" · ");
  }
  if (typeof e.metadata.retry_of === "string") return [`Retry of ${e.metadata.retry_of.slice(0, 8)}`, subject, range].filter(Boolean).join(" · ");
  return [KIND_LABELS[e.kind], subject, range].filter(Boolean).join(" · ");
}

interface MigrationSpan {
  count: number;
  first: { id: string; tier: string; version: string };
  last: { id: string; tier: string; version: string };
}

function isSpan(value: unknown): value is MigrationSpan {
  const v = value as Partial<MigrationSpan> | null;
  return !!v && typeof v.count === "number" && typeof v.first?.id === "string" && typeof v.last?.id === "string";
}

/** "tenant/0003_invoices" for one migration, "tenant 0001–0006 (6 migrations)", "shared 0001–tenant 0006 (9 migrations)". */
export function migrationRange(metadata: Record<string, unknown>): string | null {
  const span = metadata.migrations;
  if (!isSpan(span)) return null;
  if (span.count === 1) return span.first.id;
  const to = span.last.tier === span.first.tier ? span.last.version : `${span.last.tier} ${span.last.version}`;
  return `${span.first.tier} ${span.first.version}–${to} (${span.count} migrations)`;
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
