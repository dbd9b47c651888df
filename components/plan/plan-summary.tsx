"use client";

import { RefreshCw } from "lucide-react";
import type { ReactNode } from "react";
import type { Plan } from "@/components/api/get-plan";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/components/ui/cn";
import { Stat } from "./stat";

/** The id of the plan's result heading, which takes the focus once a plan is shown. */
export const PLAN_SUMMARY_TITLE = "plan-summary-title";

function headline(plan: Plan): string {
  const t = plan.totals;
  if (t.pending_migrations === 0 && t.blocked === 0 && t.unreachable === 0) return `All ${t.targets} targets are up to date`;
  const parts = [`${t.pending} target${t.pending === 1 ? "" : "s"} ready`];
  if (t.blocked) parts.push(`${t.blocked} blocked`);
  if (t.unreachable) parts.push(`${t.unreachable} unreachable`);
  return `${t.pending_migrations} pending migration${t.pending_migrations === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

/** What the plan would do, in numbers, with its fingerprint and the next steps. */
export function PlanSummary({
  plan,
  refreshing,
  onRefresh,
  actions,
}: {
  plan: Plan;
  refreshing: boolean;
  onRefresh: () => void;
  actions?: ReactNode;
}) {
  const t = plan.totals;
  return (
    <Card aria-labelledby="plan-summary-title">
      <CardHeader>
        {/* Focus lands here after "Preview plan" (tabIndex -1: reachable by script, not by Tab). */}
        <CardTitle id={PLAN_SUMMARY_TITLE} tabIndex={-1} className="outline-none focus-visible:ring-2 focus-visible:ring-ring/50 rounded-sm">
          {headline(plan)}
        </CardTitle>
        <CardDescription className="flex flex-wrap items-center gap-x-2">
          <span>Planned {new Date(plan.generated_at).toLocaleTimeString()}</span>
          <span aria-hidden>·</span>
          <span className="inline-flex items-center font-mono text-xs" data-testid="plan-fingerprint" title={plan.fingerprint}>
            fingerprint {plan.fingerprint.slice(0, 16)}
            <CopyButton value={plan.fingerprint} label="Copy plan fingerprint" className="size-7" />
          </span>
        </CardDescription>
        <CardAction>
          <Button variant="ghost" size="sm" onClick={onRefresh} disabled={refreshing}>
            <RefreshCw className={cn(refreshing && "animate-spin motion-reduce:animate-none")} aria-hidden />
            Refresh
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-8">
          <Stat label="Targets" value={t.targets} />
          <Stat label="Pending" value={t.pending} tone={t.pending ? "info" : "muted"} />
          <Stat label="Up to date" value={t.up_to_date} tone={t.up_to_date ? "success" : "muted"} />
          <Stat label="Blocked" value={t.blocked} tone={t.blocked ? "warning" : "muted"} />
          <Stat label="Unreachable" value={t.unreachable} tone={t.unreachable ? "destructive" : "muted"} />
          <Stat label="Migrations" value={t.pending_migrations} hint="pending, all targets" />
          <Stat label="Drift" value={t.drift} tone={t.drift ? "warning" : "muted"} />
          <Stat label="Warnings" value={t.warnings} tone={t.warnings ? "warning" : "muted"} />
        </dl>
        {actions}
      </CardContent>
    </Card>
  );
}
