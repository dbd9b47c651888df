import { TriangleAlert, Unplug } from "lucide-react";
import Link from "next/link";
import type { Plan } from "@/components/api/get-plan";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** What needs a person's attention before executing: lint findings, unreachable databases, drift. */
export function PlanFindings({ plan }: { plan: Plan }) {
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
  if (!plan.warnings.length && !plan.unreachable.length && !notes.length && !blocked.size) return null;

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
        {plan.warnings.map((w, i) => (
          <p key={`${w.migration_id}-${w.code}-${i}`} className="flex flex-wrap items-baseline gap-2">
            <Badge variant="warning">{w.code}</Badge>
            <Link href={`/catalog?file=${encodeURIComponent(w.migration_id)}`} className="font-mono text-xs hover:underline">
              {w.file}:{w.line}
            </Link>
            <span className="text-muted-foreground">{w.message}</span>
          </p>
        ))}
      </CardContent>
    </Card>
  );
}
