"use client";

import { ShieldAlert, TriangleAlert, Unplug } from "lucide-react";
import Link from "next/link";
import { ResolveDialog, type Finding } from "@/components/adoption/resolve-dialog";
import type { Plan } from "@/components/api/get-plan";
import type { ScopeRequest } from "@/components/api/scope-request";
import { useCan } from "@/components/providers/viewer-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { LevelBadge, SizeFlagList } from "./size-flags";

/**
 * What needs a person's attention before executing: lint findings, unreachable databases, drift,
 * interrupted migrations. With migrations:manage, drift and interrupted runs can be settled here for
 * every target of the plan that shows them (one target at a time: in the target's details).
 */
export function PlanFindings({ plan, scope }: { plan: Plan; scope: ScopeRequest }) {
  const t = plan.totals;
  const notes = [
    t.drift ? `${t.drift} drifted file${t.drift === 1 ? "" : "s"} (applied, then changed): those targets are blocked until accepted.` : null,
    t.interrupted ? `${t.interrupted} interrupted migration${t.interrupted === 1 ? "" : "s"} (a non-transactional file stopped half-way).` : null,
    t.out_of_order ? `${t.out_of_order} file${t.out_of_order === 1 ? "" : "s"} older than what is already applied.` : null,
    t.missing_from_catalog ? `${t.missing_from_catalog} applied migration${t.missing_from_catalog === 1 ? "" : "s"} no longer in the catalog.` : null,
  ].filter((n): n is string => n !== null);
  // The same reason usually blocks many targets (a requirement nobody applied yet): say it once.
  const blocked = new Map<string, number>();
  for (const target of plan.targets) for (const r of target.blocked_reasons) blocked.set(r, (blocked.get(r) ?? 0) + 1);
  const findings = resolvableFindings(plan);
  const review = plan.review;
  const sizeFlags = review.size.flags;
  const rehearsalMissing = review.require_rehearsal_within_hours !== null && !review.last_passed_rehearsal;
  if (!plan.warnings.length && !plan.unreachable.length && !notes.length && !blocked.size && !sizeFlags.length && !rehearsalMissing) return null;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Findings</CardTitle>
        <CardDescription>Read these before rehearsing or executing.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        {plan.unreachable.map((u) => (
          <p key={u.database_id} className="flex gap-2 text-destructive-soft-foreground">
            <Unplug className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>
              <strong>{u.connection_name}</strong> cannot be read{u.code ? ` (${u.code})` : ""}: {u.message}
            </span>
          </p>
        ))}
        {[...blocked].map(([reason, count]) => (
          <p key={reason} className="flex gap-2 text-warning-soft-foreground">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>
              Blocked ({count} target{count === 1 ? "" : "s"}
              {plan.page.total > plan.targets.length ? " on this page" : ""}): {reason}
            </span>
          </p>
        ))}
        {notes.map((n) => (
          <p key={n} className="flex gap-2 text-warning-soft-foreground">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            {n}
          </p>
        ))}
        {findings.length ? <FindingControls findings={findings} scope={scope} /> : null}
        <ReviewOutcome plan={plan} />
        {plan.warnings.map((w, i) => (
          <p key={`${w.migration_id}-${w.code}-${i}`} className="flex flex-wrap items-baseline gap-2" data-testid="plan-warning">
            <LevelBadge level={w.level} />
            <Badge variant="outline">{w.code}</Badge>
            <Link href={`/catalog?file=${encodeURIComponent(w.migration_id)}`} className="font-mono text-xs hover:underline">
              {w.file}:{w.line}
            </Link>
            <span className="text-muted-foreground">{w.message}</span>
          </p>
        ))}
        <SizeFlagList flags={sizeFlags} label="Blocking locks on large tables (measured by the latest rehearsals)" />
      </CardContent>
    </Card>
  );
}

/** What the review policy makes of the plan: refused, waiting for a second operator, or a rehearsal asked for first. */
function ReviewOutcome({ plan }: { plan: Plan }) {
  const r = plan.review;
  const hours = r.require_rehearsal_within_hours;
  const lines: string[] = [];
  if (hours !== null && !r.last_passed_rehearsal) {
    lines.push(`The review policy asks for a passed rehearsal of this plan within the last ${hours} h before executing it: dry-run it first.`);
  }
  if (r.outcome === "block" && (plan.warnings.some((w) => w.level === "block") || r.size.flags.some((f) => f.level === "block"))) {
    lines.push("The review policy blocks executing this plan: a finding below is marked blocked.");
  } else if (r.outcome === "require_approval") {
    lines.push("The review policy makes an execution of this plan wait for a second operator's approval (a finding below requires approval).");
  }
  if (lines.length === 0) return null;
  return (
    <div className="grid gap-1" data-testid="review-outcome">
      {lines.map((line) => (
        <p key={line} className="flex gap-2 font-medium">
          <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          {line}
        </p>
      ))}
    </div>
  );
}

interface FindingRow {
  finding: Finding;
  targets: number;
}

/** Drifted and interrupted migrations on this page of the plan, each with the targets showing it. */
function resolvableFindings(plan: Plan): FindingRow[] {
  const rows = new Map<string, FindingRow>();
  const count = (finding: Finding) => {
    const key = `${finding.kind}:${finding.migrationId}`;
    const row = rows.get(key) ?? { finding, targets: 0 };
    row.targets++;
    rows.set(key, row);
  };
  for (const t of plan.targets) {
    for (const d of t.drift) count({ kind: "drift", migrationId: d.id });
    for (const i of t.interrupted) count({ kind: "interrupted", migrationId: `${t.database_type}/${i.version}_${i.name}` });
  }
  return [...rows.values()];
}

function FindingControls({ findings, scope }: { findings: FindingRow[]; scope: ScopeRequest }) {
  const canResolve = useCan("migrations.resolve");
  return (
    <ul className="grid gap-2 border-t pt-3" aria-label="Blocking findings">
      {findings.map(({ finding, targets }) => (
        <li key={`${finding.kind}-${finding.migrationId}`} className="flex flex-wrap items-center gap-2">
          <Badge variant="warning">{finding.kind === "drift" ? "drift" : "interrupted"}</Badge>
          <span className="font-mono text-xs">{finding.migrationId}</span>
          <span className="text-muted-foreground">
            on {targets} target{targets === 1 ? "" : "s"}
          </span>
          {canResolve ? (
            <ResolveDialog
              finding={finding}
              scope={scope}
              where="every target of this plan that shows it"
              trigger={
                <Button variant="outline" size="sm" className="ml-auto">
                  {finding.kind === "drift" ? "Accept drift…" : "Resolve…"}
                </Button>
              }
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
