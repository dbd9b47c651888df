"use client";

import { History } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useMemo } from "react";
import { useExecutions } from "@/components/api/list-executions";
import { ExecutionsTable } from "@/components/executions/executions-table";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { executionsPerDay } from "./chart-data";

const ExecutionsChart = dynamic(() => import("./executions-chart"), {
  ssr: false,
  loading: () => <Skeleton className="h-[220px] w-full" />,
});

/** The latest executions and a chart of the last two weeks, from one list request. */
export function RecentExecutions() {
  const list = useExecutions({ limit: 100, offset: 0 });
  const days = useMemo(() => (list.data ? executionsPerDay(list.data.executions, new Date()) : []), [list.data]);
  const total = days.reduce((n, d) => n + d.completed + d.failed + d.other, 0);

  return (
    <div className="grid min-w-0 gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card className="min-w-0">
        <CardHeader>
          <CardTitle>Recent executions</CardTitle>
          <CardDescription>The latest runs, rehearsals and rollbacks.</CardDescription>
          <CardAction>
            <Link href="/executions" className="text-sm text-primary hover:underline">
              All executions
            </Link>
          </CardAction>
        </CardHeader>
        <CardContent>
          {list.isError ? (
            <ErrorState title="Executions could not be loaded" message={list.error.message} onRetry={() => list.refetch()} />
          ) : list.isPending ? (
            <Skeleton className="h-48 w-full" />
          ) : list.data.executions.length === 0 ? (
            <EmptyState icon={History} title="No executions yet" description="Plan a scope, rehearse it and execute it: runs appear here." />
          ) : (
            <ExecutionsTable executions={list.data.executions.slice(0, 6)} label="Recent executions" compact />
          )}
        </CardContent>
      </Card>
      <Card className="min-w-0">
        <CardHeader>
          <CardTitle>Executions over time</CardTitle>
          <CardDescription>
            {list.data ? `${total} in the last 14 days, per day and outcome.` : "Per day and outcome, last 14 days."}
          </CardDescription>
        </CardHeader>
        <CardContent>{list.data ? <ExecutionsChart data={days} /> : <Skeleton className="h-[220px] w-full" />}</CardContent>
      </Card>
    </div>
  );
}
