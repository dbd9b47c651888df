"use client";

import Link from "next/link";
import { useBasicHealth } from "@/components/api/get-basic-health";
import { useDetailedHealth } from "@/components/api/get-detailed-health";
import { ServiceStatusBadge } from "@/components/health/service-status-badge";
import { serviceLabel } from "@/components/health/service-names";
import { useCan } from "@/components/providers/viewer-context";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** Health on the Overview: each service for admins, the console's own status for everyone else. */
export function HealthSummary() {
  const detailedAllowed = useCan("health.detailed");
  const detailed = useDetailedHealth(detailedAllowed);
  const basic = useBasicHealth(!detailedAllowed);

  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>Health</CardTitle>
        <CardDescription>
          {detailedAllowed ? "Every service the console depends on." : "The console itself; details need infrastructure:admin."}
        </CardDescription>
        <CardAction>
          <Link href="/health" className="text-sm text-primary hover:underline">
            Details
          </Link>
        </CardAction>
      </CardHeader>
      <CardContent>
        {detailedAllowed ? (
          detailed.isPending ? (
            <Skeleton className="h-32 w-full" />
          ) : detailed.isError ? (
            <p className="text-sm text-destructive-soft-foreground">Health could not be read: {detailed.error.message}</p>
          ) : (
            <ul className="grid gap-2" aria-label="Services">
              {detailed.data.services.map((s) => (
                <li key={s.name} className="flex min-w-0 items-start justify-between gap-3 text-sm">
                  <span className="min-w-0 flex-1">
                    <span className="font-medium">{serviceLabel(s.name).title}</span>
                    <span className="block truncate text-xs text-muted-foreground" title={s.message}>
                      {s.message}
                    </span>
                  </span>
                  <ServiceStatusBadge status={s.status} />
                </li>
              ))}
            </ul>
          )
        ) : basic.isPending ? (
          <Skeleton className="h-10 w-full" />
        ) : basic.isError ? (
          <p className="text-sm text-destructive-soft-foreground">The console did not answer its health check: {basic.error.message}</p>
        ) : (
          <div className="flex items-center justify-between text-sm">
            <span>
              Console {basic.data.version} · {basic.data.environment}
            </span>
            <ServiceStatusBadge status={basic.data.status} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
