"use client";

import Link from "next/link";
import { useState } from "react";
import { useFleetState } from "@/components/api/get-fleet-state";
import { useTenants } from "@/components/api/list-tenants";
import { LastRunCell, PendingCell, VersionCell } from "@/components/fleet-state/migration-state";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Pager } from "@/components/ui/pager";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

const PAGE_SIZE = 25;

/**
 * A database's migrations: its own target's version (admin, shared and analytics databases have
 * one), and the tenants it hosts with theirs, a page at a time. From the fleet state store, so the
 * page reads no fleet database.
 */
export function DatabaseMigrations({ connectionId }: { connectionId: string }) {
  const state = useFleetState(connectionId);
  const [offset, setOffset] = useState(0);
  const tenants = useTenants({ connection_id: connectionId, limit: PAGE_SIZE, offset });
  const own = state.data?.database;
  const hosted = state.data?.groups.find((g) => g.tier === "tenant");

  return (
    <Card className="mt-4">
      <CardHeader>
        <CardTitle>Migrations</CardTitle>
        <CardDescription>As the console last read each schema: a plan, an execution, a baseline or a resolve refreshes it.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {state.isError ? (
          <ErrorState title="The migration state could not be loaded" message={state.error.message} onRetry={() => state.refetch()} />
        ) : state.isPending ? (
          <Skeleton className="h-16 w-full" />
        ) : (
          <dl className="grid grid-cols-[max-content_1fr] items-center gap-x-6 gap-y-2 text-sm" aria-label="This database's migration state">
            {own?.schema_name ? (
              <>
                <dt className="text-muted-foreground">
                  Version of <span className="font-mono">{own.schema_name}</span>
                </dt>
                <dd className="flex flex-wrap items-center gap-2" data-testid="database-own-state">
                  <VersionCell state={own.migration_state} />
                  <PendingCell state={own.migration_state} />
                  {own.migration_state?.head ? <span className="text-xs text-muted-foreground">head {own.migration_state.head}</span> : null}
                </dd>
                <dt className="text-muted-foreground">Last run</dt>
                <dd>
                  <LastRunCell state={own.migration_state} />
                </dd>
              </>
            ) : null}
            <dt className="text-muted-foreground">Tenants hosted</dt>
            <dd data-testid="database-tenant-figures">
              {hosted
                ? `${hosted.targets} active: ${hosted.at_head} at head, ${hosted.behind} behind, ${hosted.blocked} blocked, ${hosted.failed} failed last run` +
                  (hosted.unknown ? `, ${hosted.unknown} not read yet` : "")
                : "none active"}
            </dd>
          </dl>
        )}

        {tenants.isError ? (
          <ErrorState title="The tenants could not be loaded" message={tenants.error.message} onRetry={() => tenants.refetch()} />
        ) : tenants.isPending ? (
          <Skeleton className="h-24 w-full" />
        ) : tenants.data.total === 0 ? null : (
          <div>
            <Table aria-label="Tenants on this database">
              <TableHeader>
                <TableRow>
                  <TableHead>Tenant</TableHead>
                  <TableHead>Schema</TableHead>
                  <TableHead>Version</TableHead>
                  <TableHead>Pending</TableHead>
                  <TableHead>Last run</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {tenants.data.items.map((t) => (
                  <TableRow key={t.id} data-testid={`hosted-${t.slug}`}>
                    <TableCell>
                      <Link href={`/tenants/${t.id}`} className="font-medium hover:underline">
                        {t.name}
                      </Link>
                      {t.status !== "active" ? <span className="ml-2 text-xs text-muted-foreground">{t.status}</span> : null}
                    </TableCell>
                    <TableCell className="font-mono text-xs">{t.schema_name}</TableCell>
                    <TableCell>
                      <VersionCell state={t.migration_state} />
                    </TableCell>
                    <TableCell>
                      <PendingCell state={t.migration_state} />
                    </TableCell>
                    <TableCell>
                      <LastRunCell state={t.migration_state} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pager total={tenants.data.total} offset={offset} pageSize={PAGE_SIZE} onOffset={setOffset} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
