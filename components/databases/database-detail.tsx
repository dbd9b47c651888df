"use client";

import { ArrowLeft } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { useConnection } from "@/components/api/get-connection";
import { useConnectionHealth } from "@/components/api/get-connection-health";
import { useCan, useHasPermission } from "@/components/providers/viewer-context";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { LoadingState } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MaintenanceWindowsCard } from "@/components/maintenance-windows/maintenance-windows-card";
import { ConnectionActions } from "./connection-actions";
import { DatabaseMigrations } from "./database-migrations";
import { HealthBadge } from "./health-badge";
import { tierLabel } from "./tier-labels";

// recharts is a large chunk: the page's figures and the history table render without waiting for it.
const HealthChart = dynamic(() => import("./health-chart"), {
  ssr: false,
  loading: () => <Skeleton className="h-48 w-full" />,
});

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/** One database: its details, current health, its migrations and the tenants it hosts, and the recent health checks. */
export function DatabaseDetail({ id }: { id: string }) {
  const router = useRouter();
  const canManage = useCan("databases.manage");
  const canReadMigrations = useHasPermission("migrations:read");
  const connection = useConnection(id);
  const health = useConnectionHealth(id);

  if (connection.isError) {
    return <ErrorState title="This database could not be loaded" message={connection.error.message} onRetry={() => connection.refetch()} />;
  }
  if (connection.isPending) return <LoadingState label="Loading the database…" />;
  const c = connection.data;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/databases" className="inline-flex items-center gap-1 hover:underline">
            <ArrowLeft className="size-3.5" aria-hidden /> Databases
          </Link>
        }
        title={c.name}
        description={`${tierLabel(c.connection_type)} database${c.region ? ` in ${c.region}` : ""}`}
        actions={canManage ? <ConnectionActions connection={c} labelled onDeleted={() => router.push("/databases")} /> : null}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Connection</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
              <Item label="Host">
                <span className="font-mono">
                  {c.host}:{c.port}
                </span>
              </Item>
              <Item label="Database">
                <span className="font-mono">{c.database_name}</span>
              </Item>
              <Item label="User">
                <span className="font-mono">{c.username}</span>
              </Item>
              <Item label="Password">{c.has_password ? "stored (encrypted)" : "none"}</Item>
              <Item label="SSL mode">{c.ssl_mode}</Item>
              <Item label="Target schema">
                <span className="font-mono">{c.schema_name}</span>
              </Item>
              <Item label="Status">{c.is_active ? <Badge variant="outline">Active</Badge> : <Badge variant="secondary">Inactive</Badge>}</Item>
              <Item label="Registered">
                {when(c.created_at)} by {c.created_by}
              </Item>
              <Item label="Last change">
                {when(c.updated_at)}
                {c.updated_by ? ` by ${c.updated_by}` : ""}
              </Item>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Health</CardTitle>
            <CardDescription>Measured by connecting on the health-check interval; a test records a check too.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {health.isError ? (
              <ErrorState title="Health could not be loaded" message={health.error.message} onRetry={() => health.refetch()} />
            ) : health.isPending ? (
              <LoadingState label="Loading health…" />
            ) : (
              <>
                <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
                  <Item label="Now">
                    <HealthBadge status={health.data.status} />
                  </Item>
                  <Item label="Last check">{when(health.data.last_health_check)}</Item>
                  <Item label="Response time">{health.data.response_time_ms !== null ? `${health.data.response_time_ms} ms` : "—"}</Item>
                  <Item label="Server version">{health.data.server_version ?? "—"}</Item>
                  {health.data.health_error ? (
                    <Item label="Error">
                      <span className="break-words text-destructive">{health.data.health_error}</span>
                    </Item>
                  ) : null}
                </dl>
                <HealthChart history={health.data.history} />
              </>
            )}
          </CardContent>
        </Card>
      </div>
      {canReadMigrations ? <DatabaseMigrations connectionId={c.id} /> : null}
      {canReadMigrations ? <MaintenanceWindowsCard databaseId={c.id} region={c.region} /> : null}
      {health.data && health.data.history.length > 0 ? (
        <Card className="mt-4">
          <CardHeader>
            <CardTitle>Recent checks</CardTitle>
          </CardHeader>
          <CardContent>
            <Table aria-label="Recent health checks">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Result</TableHead>
                  <TableHead>Response time</TableHead>
                  <TableHead>Error</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {health.data.history.slice(0, 20).map((h) => (
                  <TableRow key={h.checked_at}>
                    <TableCell>{when(h.checked_at)}</TableCell>
                    <TableCell>
                      <HealthBadge status={h.is_healthy ? "healthy" : "unhealthy"} />
                    </TableCell>
                    <TableCell>{h.response_time_ms !== null ? `${h.response_time_ms} ms` : "—"}</TableCell>
                    <TableCell className="max-w-md break-words text-muted-foreground">{h.error ?? ""}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      ) : null}
    </>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}
