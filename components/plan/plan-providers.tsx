"use client";

import { Info, PackagePlus } from "lucide-react";
import type { Plan } from "@/components/api/get-plan";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

type TargetRef = Plan["included_providers"][number];

/**
 * The way forward for targets blocked by what is outside the scope: "Include what it needs" adds
 * the providers they wait for (their region's shared target, the admin database), named here
 * before anything is planned; once included, says which were added and offers to leave them out.
 */
export function PlanProviders({ plan, onInclude }: { plan: Plan; onInclude: (include: boolean) => void }) {
  if (plan.included_providers.length > 0) {
    return (
      <div
        className="flex flex-wrap items-start gap-3 rounded-md border border-info-border bg-info-soft px-4 py-3 text-sm text-info-soft-foreground"
        data-testid="included-providers"
      >
        <Info className="mt-0.5 size-4 shrink-0" aria-hidden />
        <div className="grid flex-1 gap-1">
          <p className="font-medium">Includes what it needs</p>
          <p>
            {plan.included_providers.length} target{plan.included_providers.length === 1 ? "" : "s"} outside the scope{" "}
            {plan.included_providers.length === 1 ? "was" : "were"} added because the others need their migrations; they run
            first: <TargetList targets={plan.included_providers} />.
          </p>
        </div>
        <Button variant="outline" size="sm" onClick={() => onInclude(false)}>
          Plan without them
        </Button>
      </div>
    );
  }
  const needed = plan.providers_needed;
  if (!needed) return null;
  return (
    <Card aria-labelledby="providers-needed-title" data-testid="providers-needed" className="border-warning-border">
      <CardHeader>
        <CardTitle id="providers-needed-title">What the blocked targets need</CardTitle>
        <CardDescription>
          {needed.unblocks} blocked target{needed.unblocks === 1 ? " waits" : "s wait"} for migrations on{" "}
          {needed.targets.length === 1 ? "a target" : `${needed.targets.length} targets`} outside this scope. Including{" "}
          {needed.targets.length === 1 ? "it" : "them"} adds {needed.targets.length === 1 ? "it" : "them"} to the plan, run first; nothing
          runs until you execute.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <ul className="grid gap-1 text-sm" aria-label="Targets it would add">
          {needed.targets.map((t) => (
            <li key={t.key} className="flex flex-wrap items-baseline gap-2">
              <span className="font-mono text-[13px]">
                {t.connection_name}/{t.schema_name}
              </span>
              <span className="text-xs text-muted-foreground">
                {t.database_type}
                {t.region ? ` · ${t.region}` : ""}
              </span>
            </li>
          ))}
        </ul>
        <div>
          <Button variant={plan.totals.pending === 0 ? "default" : "outline"} onClick={() => onInclude(true)}>
            <PackagePlus aria-hidden />
            Include what it needs
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

function TargetList({ targets }: { targets: TargetRef[] }) {
  return (
    <>
      {targets.map((t, i) => (
        <span key={t.key}>
          {i > 0 ? ", " : ""}
          <span className="font-mono text-[13px]">
            {t.connection_name}/{t.schema_name}
          </span>
        </span>
      ))}
    </>
  );
}
