"use client";

import { Database, Users } from "lucide-react";
import Link from "next/link";
import { useFleetOverview } from "@/components/api/get-fleet-overview";
import { useFleetState } from "@/components/api/get-fleet-state";
import { useHasPermission } from "@/components/providers/viewer-context";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Stat } from "@/components/plan/stat";
import { FleetMatrix } from "./fleet-matrix";
import { FleetStateTable } from "./fleet-state-table";
import { HealthSummary } from "./health-summary";
import { RecentExecutions } from "./recent-executions";

/** The Overview: the fleet, what is pending on it, recent work and health, for whoever signs in. */
export function OverviewView() {
  const canReadDatabases = useHasPermission("databases:read");
  const canReadMigrations = useHasPermission("migrations:read");
  const fleet = useFleetOverview(canReadDatabases && canReadMigrations);
  // What the console last read of every target, compared with the catalog: no plan of the fleet.
  const state = useFleetState(null, canReadMigrations);

  const unhealthy = fleet.data?.connections.filter((c) => c.is_active && c.is_healthy === false).length;
  const totals = state.data?.totals;

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
              label="Targets at head"
              value={totals ? totals.at_head : <Figure loading={state.isPending} />}
              hint={totals ? `of ${totals.targets}${totals.unknown ? `, ${totals.unknown} not read yet` : ""}` : undefined}
              tone={totals && totals.targets && totals.at_head === totals.targets ? "success" : "muted"}
            />
            <Stat
              label="Targets behind"
              value={totals ? totals.behind : <Figure loading={state.isPending} />}
              hint={totals ? `${totals.pending_migrations} pending migrations` : undefined}
              tone={totals?.behind ? "info" : "muted"}
            />
            <Stat
              label="Blocked · failed last run"
              value={totals ? `${totals.blocked} · ${totals.failed}` : <Figure loading={state.isPending} />}
              hint="drift, interrupted runs, catalog problems · last execution failed"
              tone={totals && (totals.blocked || totals.failed) ? "warning" : "muted"}
            />
          </dl>
          {state.isError ? (
            <p className="mt-2 text-sm text-destructive-soft-foreground">The fleet&apos;s migration state could not be read: {state.error.message}</p>
          ) : null}
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

        {canReadMigrations ? (
          <Card className="min-w-0">
            <CardHeader>
              <CardTitle>Migration state by region and tier</CardTitle>
              <CardDescription>
                Active targets compared with the catalog{state.data?.catalog.available === false ? " (the catalog cannot be read now)" : ""}, as the
                console last read them: a plan, an execution, a baseline or a resolve refreshes a target.
              </CardDescription>
              <CardAction className="text-sm">
                <Link href="/tenants?state=behind" className="inline-flex items-center gap-1 text-primary hover:underline">
                  <Users className="size-3.5" aria-hidden /> Tenants behind
                </Link>
              </CardAction>
            </CardHeader>
            <CardContent>
              {state.isError ? (
                <ErrorState title="The migration state could not be loaded" message={state.error.message} onRetry={() => state.refetch()} />
              ) : state.isPending ? (
                <Skeleton className="h-40 w-full" />
              ) : (
                <FleetStateTable state={state.data} />
              )}
            </CardContent>
          </Card>
        ) : null}

        {canReadMigrations ? <RecentExecutions /> : null}
      </div>
    </>
  );
}

function Figure({ loading }: { loading: boolean }) {
  return loading ? <Skeleton className="mt-1 h-6 w-12" /> : <span className="text-muted-foreground">—</span>;
}
