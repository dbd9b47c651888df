"use client";

import { Database, Users } from "lucide-react";
import Link from "next/link";
import { useFleetOverview } from "@/components/api/get-fleet-overview";
import { usePlan } from "@/components/api/get-plan";
import { useHasPermission } from "@/components/providers/viewer-context";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Stat } from "@/components/plan/stat";
import { FleetMatrix } from "./fleet-matrix";
import { HealthSummary } from "./health-summary";
import { RecentExecutions } from "./recent-executions";

/** The Overview: the fleet, what is pending on it, recent work and health, for whoever signs in. */
export function OverviewView() {
  const canReadDatabases = useHasPermission("databases:read");
  const canReadMigrations = useHasPermission("migrations:read");
  const fleet = useFleetOverview(canReadDatabases && canReadMigrations);
  // A one-row page of the whole fleet's plan: the totals cover every target.
  const plan = usePlan(canReadMigrations ? { scope: "all", limit: 1 } : null);

  const unhealthy = fleet.data?.connections.filter((c) => c.is_active && c.is_healthy === false).length;
  const totals = plan.data?.totals;

  return (
    <>
      <PageHeader title="Overview" description="The fleet at a glance: where it lives, what is pending, recent work and health." />
      <div className="grid min-w-0 grid-cols-1 gap-6">
        <section aria-label="Fleet figures">
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
            <Stat label="Databases" value={fleet.data ? fleet.data.totalConnections : <Figure loading={fleet.isPending} />} />
            <Stat label="Active tenants" value={fleet.data ? fleet.data.totalTenants : <Figure loading={fleet.isPending} />} />
            <Stat
              label="Unhealthy databases"
              value={unhealthy ?? <Figure loading={fleet.isPending} />}
              tone={unhealthy ? "destructive" : "muted"}
            />
            <Stat
              label="Targets with pending work"
              value={totals ? totals.pending + totals.blocked : <Figure loading={plan.isPending} />}
              hint={totals ? `${totals.blocked} blocked of ${totals.targets}` : undefined}
              tone={totals && totals.pending + totals.blocked ? "info" : "muted"}
            />
            <Stat
              label="Pending migrations"
              value={totals ? totals.pending_migrations : <Figure loading={plan.isPending} />}
              hint="summed over targets"
            />
            <Stat label="Drift" value={totals ? totals.drift : <Figure loading={plan.isPending} />} tone={totals?.drift ? "warning" : "muted"} />
          </dl>
          {plan.isError ? <p className="mt-2 text-sm text-destructive-soft-foreground">The fleet plan could not be read: {plan.error.message}</p> : null}
        </section>

        <div className="grid min-w-0 gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <Card className="min-w-0">
            <CardHeader>
              <CardTitle>Fleet by tier and region</CardTitle>
              <CardDescription>Active databases; tenant schemas live in their region&apos;s shared database or a dedicated one.</CardDescription>
              <CardAction className="flex gap-3 text-sm">
                {canReadDatabases ? (
                  <Link href="/databases" className="inline-flex items-center gap-1 text-primary hover:underline">
                    <Database className="size-3.5" aria-hidden /> Databases
                  </Link>
                ) : null}
                {canReadMigrations ? (
                  <Link href="/tenants" className="inline-flex items-center gap-1 text-primary hover:underline">
                    <Users className="size-3.5" aria-hidden /> Tenants
                  </Link>
                ) : null}
              </CardAction>
            </CardHeader>
            <CardContent>
              {!canReadDatabases || !canReadMigrations ? (
                <p className="text-sm text-muted-foreground">Seeing the fleet needs databases:read and migrations:read.</p>
              ) : fleet.isError ? (
                <ErrorState title="The fleet could not be loaded" message={fleet.error.message} onRetry={() => fleet.refetch()} />
              ) : fleet.isPending ? (
                <Skeleton className="h-40 w-full" />
              ) : (
                <FleetMatrix fleet={fleet.data} />
              )}
            </CardContent>
          </Card>
          <HealthSummary />
        </div>

        {canReadMigrations ? <RecentExecutions /> : null}
      </div>
    </>
  );
}

function Figure({ loading }: { loading: boolean }) {
  return loading ? <Skeleton className="mt-1 h-6 w-12" /> : <span className="text-muted-foreground">—</span>;
}
