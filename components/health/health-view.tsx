"use client";

import { RefreshCw } from "lucide-react";
import { useBasicHealth } from "@/components/api/get-basic-health";
import { useDetailedHealth, type ServiceHealth } from "@/components/api/get-detailed-health";
import { useMigrationsHealth } from "@/components/api/get-migrations-health";
import { useSystemMetrics } from "@/components/api/get-system-metrics";
import { useRefreshHealth } from "@/components/api/refresh-health";
import { useCan, useHasPermission } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { flattenDetails } from "./flatten-details";
import { MigrationEngineHealth } from "./migration-engine-health";
import { serviceLabel } from "./service-names";
import { ServiceStatusBadge } from "./service-status-badge";
import { SystemMetricsCard } from "./system-metrics-card";

/**
 * Health: every service the console depends on (infrastructure:admin), the migration engine
 * (migrations:read) and the console itself (anyone). Refreshed every 30 seconds.
 */
export function HealthView() {
  const refreshHealth = useRefreshHealth();
  const detailedAllowed = useCan("health.detailed");
  const canReadMigrations = useHasPermission("migrations:read");
  const detailed = useDetailedHealth(detailedAllowed);
  const basic = useBasicHealth(!detailedAllowed);
  const engine = useMigrationsHealth(canReadMigrations);
  const metrics = useSystemMetrics(detailedAllowed);
  const refreshing = detailed.isFetching || basic.isFetching || engine.isFetching || metrics.isFetching;
  const overall = detailedAllowed ? detailed.data?.overall_status : basic.data?.status;

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            Health
            {overall ? <ServiceStatusBadge status={overall} /> : null}
          </span>
        }
        description={
          detailedAllowed
            ? "Every service the console depends on, the migration engine and this console process."
            : "The console and the migration engine. Per-service health needs infrastructure:admin."
        }
        actions={
          <Button variant="outline" onClick={() => void refreshHealth()} disabled={refreshing}>
            <RefreshCw className={cn(refreshing && "animate-spin motion-reduce:animate-none")} aria-hidden />
            Check now
          </Button>
        }
      />
      <div className="grid min-w-0 grid-cols-1 gap-6">
        {detailedAllowed ? (
          <section aria-labelledby="services-heading" className="grid gap-3">
            <h2 id="services-heading" className="text-base font-semibold">
              Services
              {detailed.data ? (
                <span className="ml-2 text-sm font-normal text-muted-foreground">
                  {detailed.data.summary.healthy_services} of {detailed.data.summary.total_services} healthy · checked{" "}
                  {new Date(detailed.data.timestamp).toLocaleTimeString()}
                </span>
              ) : null}
            </h2>
            {detailed.isError ? (
              <ErrorState title="Health could not be read" message={detailed.error.message} onRetry={() => detailed.refetch()} />
            ) : detailed.isPending ? (
              <div className="grid gap-4 md:grid-cols-2">
                {[0, 1, 2, 3].map((i) => (
                  <Skeleton key={i} className="h-44" />
                ))}
              </div>
            ) : (
              <div className="grid gap-4 md:grid-cols-2">
                {detailed.data.services.map((s) => (
                  <ServiceCard key={s.name} service={s} />
                ))}
              </div>
            )}
          </section>
        ) : (
          <Card>
            <CardHeader>
              <CardTitle>Console</CardTitle>
              <CardDescription>Whether this console process answers.</CardDescription>
            </CardHeader>
            <CardContent>
              {basic.isError ? (
                <p className="text-sm text-destructive-soft-foreground">No answer: {basic.error.message}</p>
              ) : basic.isPending ? (
                <Skeleton className="h-8 w-64" />
              ) : (
                <p className="flex items-center gap-3 text-sm">
                  <ServiceStatusBadge status={basic.data.status} />
                  version {basic.data.version} · {basic.data.environment}
                </p>
              )}
            </CardContent>
          </Card>
        )}
        {canReadMigrations ? <MigrationEngineHealth query={engine} /> : null}
        {detailedAllowed ? <SystemMetricsCard query={metrics} /> : null}
      </div>
    </>
  );
}

function ServiceCard({ service: s }: { service: ServiceHealth }) {
  const { title, description } = serviceLabel(s.name);
  const rows = flattenDetails(s.details);
  return (
    <Card className="min-w-0" data-service={s.name}>
      <CardHeader>
        <CardTitle as="h3">{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
        <CardAction>
          <ServiceStatusBadge status={s.status} />
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <p>
          {s.message}
          {s.response_time_ms !== null ? <span className="text-muted-foreground"> · checked in {s.response_time_ms} ms</span> : null}
        </p>
        {rows.length ? (
          <dl className="grid grid-cols-[minmax(8rem,max-content)_1fr] gap-x-4 gap-y-1 text-xs">
            {rows.map((r) => (
              <div key={r.label} className="contents">
                <dt className="text-muted-foreground">{r.label}</dt>
                <dd className="font-mono break-all">{r.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </CardContent>
    </Card>
  );
}
