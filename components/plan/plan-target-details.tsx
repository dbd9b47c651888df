"use client";

import Link from "next/link";
import { ResolveDialog, type Finding } from "@/components/adoption/resolve-dialog";
import type { PlanTarget } from "@/components/api/get-plan";
import type { ScopeRequest } from "@/components/api/scope-request";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";

/**
 * A plan target opened up: its pending files in order, why it is blocked, drift and interrupted
 * runs (each settled for this target alone with migrations:manage), baselined versions,
 * cross-target needs.
 */
export function PlanTargetDetails({ target: t }: { target: PlanTarget }) {
  return (
    <div className="grid gap-3 rounded-md border bg-muted/40 p-3 text-sm">
      <div>
        <h4 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Pending, in order</h4>
        {t.pending.length ? (
          <ol className="flex flex-wrap gap-1.5">
            {t.pending.map((id, i) => (
              <li key={id}>
                <Link href={`/catalog?file=${encodeURIComponent(id)}`} className="rounded border bg-card px-1.5 py-0.5 font-mono text-xs hover:underline">
                  {i + 1}. {id}
                </Link>
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-muted-foreground">
            Nothing pending; {t.applied_count} applied{t.baselined.length ? ` (${t.baselined.length} baselined)` : ""}.
          </p>
        )}
      </div>
      {t.blocked_reasons.length ? (
        <div>
          <h4 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Why it is blocked</h4>
          <ul className="list-disc pl-5">
            {t.blocked_reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {t.drift.length ? (
        <div>
          <h4 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Drift: applied, then the file changed</h4>
          <ul className="grid gap-1">
            {t.drift.map((d) => (
              <li key={d.id} className="font-mono text-xs">
                {d.id}: applied {d.applied_checksum.slice(0, 10)}… at {new Date(d.applied_at).toLocaleString()}, file now{" "}
                {d.file_checksum.slice(0, 10)}…
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {t.baselined.length ? (
        <div>
          <h4 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Baselined (marked applied, never run here)</h4>
          <ul className="flex flex-wrap gap-1.5">
            {t.baselined.map((b) => (
              <li key={b.version} className="rounded border border-info-border bg-info-soft px-1.5 py-0.5 font-mono text-xs text-info-soft-foreground">
                {b.id ?? `${b.version}_${b.name}`}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {t.cross_target.length ? (
        <div>
          <h4 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Needs from other targets</h4>
          <ul className="grid gap-1">
            {t.cross_target.map((c) => (
              <li key={`${c.migration_id}-${c.requires}`} className="text-xs">
                <span className="font-mono">{c.migration_id}</span> requires <span className="font-mono">{c.requires}</span> on{" "}
                {c.provider ? (
                  <span className="font-mono">
                    {c.provider.connection_name}/{c.provider.schema_name}
                  </span>
                ) : (
                  "no registered target"
                )}
                {c.will_apply_in_plan ? " — applied earlier in this plan" : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {t.interrupted.length || t.out_of_order.length || t.missing_from_catalog.length ? (
        <ul className="grid gap-1 text-xs">
          {t.interrupted.map((i) => (
            <li key={`i-${i.version}`} className="flex flex-wrap items-center gap-2">
              Interrupted: {i.version}_{i.name} ({i.state} since {new Date(i.started_at).toLocaleString()})
              <ResolveOnTarget target={t} finding={{ kind: "interrupted", migrationId: `${t.database_type}/${i.version}_${i.name}` }} />
            </li>
          ))}
          {t.out_of_order.map((o) => (
            <li key={`o-${o.id}`}>
              Out of order: {o.id} is older than the newest applied version {o.newest_applied}
            </li>
          ))}
          {t.missing_from_catalog.map((m) => (
            <li key={`m-${m.version}`}>
              Applied but no longer in the catalog: {m.version}_{m.name}
            </li>
          ))}
        </ul>
      ) : null}
      {t.error ? (
        <p className="text-destructive-soft-foreground">
          {t.error.code ? <span className="font-mono">{t.error.code}: </span> : null}
          {t.error.message}
        </p>
      ) : null}
    </div>
  );
}

/** This target alone: scope single on its database, with its tenant or schema. */
function ResolveOnTarget({ target: t, finding }: { target: PlanTarget; finding: Finding }) {
  const canResolve = useCan("migrations.resolve");
  if (!canResolve) return null;
  const scope: ScopeRequest = t.tenant_id
    ? { scope: "single", database_id: t.database_id, tenant_id: t.tenant_id }
    : { scope: "single", database_id: t.database_id, schema_name: t.schema_name };
  return (
    <ResolveDialog
      finding={finding}
      scope={scope}
      where={`${t.connection_name}/${t.schema_name}`}
      trigger={
        <Button variant="outline" size="sm" className="h-7 font-sans">
          {finding.kind === "drift" ? "Accept for this target…" : "Resolve for this target…"}
        </Button>
      }
    />
  );
}
