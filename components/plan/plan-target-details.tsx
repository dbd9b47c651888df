"use client";

import Link from "next/link";
import { ResolveDialog, type Finding } from "@/components/adoption/resolve-dialog";
import type { Plan, PlanTarget } from "@/components/api/get-plan";
import type { ScopeRequest } from "@/components/api/scope-request";
import { useCan } from "@/components/providers/viewer-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

/**
 * A plan target opened up: its pending files in order, why it is blocked, drift and interrupted
 * runs (each settled for this target alone with migrations:manage), baselined versions,
 * cross-target needs.
 */
export function PlanTargetDetails({
  target: t,
  migrations = new Map(),
}: {
  target: PlanTarget;
  /** The plan's pending migrations by id, for how each one runs. */
  migrations?: ReadonlyMap<string, Plan["migrations"][number]>;
}) {
  return (
    <div className="grid gap-3 rounded-md border bg-muted/40 p-3 text-sm">
      <div>
        <h4 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">What runs here, in order</h4>
        {t.pending.length ? (
          <ol className="grid gap-1" aria-label={`What runs on ${t.connection_name}/${t.schema_name}, in order`}>
            {t.pending.map((id, i) => {
              const m = migrations.get(id);
              const needs = t.cross_target.filter((c) => c.migration_id === id);
              return (
                <li key={id} className="flex flex-wrap items-center gap-1.5">
                  <span className="w-6 text-right text-xs text-muted-foreground tabular-nums">{i + 1}.</span>
                  <Link href={`/catalog?file=${encodeURIComponent(id)}`} className="rounded border bg-card px-1.5 py-0.5 font-mono text-xs hover:underline">
                    {id}
                  </Link>
                  {m && !m.transactional ? <Badge variant="info">no transaction</Badge> : null}
                  {m?.warnings.length ? <Badge variant="warning">{m.warnings.length} warning{m.warnings.length === 1 ? "" : "s"}</Badge> : null}
                  {needs.map((c) => (
                    <span key={c.requires} className="text-xs text-muted-foreground">
                      {c.will_apply_in_plan ? "after" : "needs"} <span className="font-mono">{c.requires}</span>
                      {c.provider ? ` on ${c.provider.connection_name}/${c.provider.schema_name}` : ""}
                      {c.will_apply_in_plan ? " (earlier in this plan)" : " (not applied: blocked)"}
                    </span>
                  ))}
                </li>
              );
            })}
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
