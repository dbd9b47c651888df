"use client";

import { ExternalLink, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { isFinished } from "@/components/api/execution-types";
import { useExecution } from "@/components/api/get-execution";
import { useExecutionEvents } from "@/components/api/use-execution-events";
import { useDismissStartedToast } from "@/components/executions/execution-toasts";
import { ExecutionProgress } from "@/components/executions/execution-progress";
import { ExecutionTargetsTable } from "@/components/executions/execution-targets-table";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { StatusBadge } from "@/components/ui/status-badge";
import { SizeFlagList } from "./size-flags";

/** The id of the rehearsal's heading, which takes the focus when a dry-run starts. */
export const REHEARSAL_TITLE = "rehearsal-title";

/** The plan's rehearsal, live: would each target apply, or fail with which PostgreSQL error. */
export function RehearsalPanel({ id, fingerprint }: { id: string; fingerprint: string }) {
  const query = useExecution(id);
  const r = query.data;
  const { state } = useExecutionEvents(id, !!r && !isFinished(r.status));
  useDismissStartedToast(r);

  return (
    <Card className="min-w-0" aria-labelledby="rehearsal-title" data-testid="rehearsal" data-status={r?.status}>
      <CardHeader>
        {/* Focus lands here after "Dry-run" (tabIndex -1: reachable by script, not by Tab). */}
        <CardTitle
          id={REHEARSAL_TITLE}
          tabIndex={-1}
          className="flex flex-wrap items-center gap-2 rounded-sm outline-none focus-visible:ring-2 focus-visible:ring-ring/50"
        >
          Rehearsal
          {r ? <StatusBadge kind="execution" status={r.status} /> : null}
        </CardTitle>
        <CardDescription>
          Nothing is kept: each target ran its pending migrations in a transaction that was rolled back.
        </CardDescription>
        <CardAction>
          <Link href={`/executions/${id}`} className="inline-flex items-center gap-1 text-sm text-primary hover:underline">
            Execution page <ExternalLink className="size-3.5" aria-hidden />
          </Link>
        </CardAction>
      </CardHeader>
      <CardContent className="grid min-w-0 gap-6">
        {query.isError ? (
          <ErrorState title="The rehearsal could not be loaded" message={query.error.message} onRetry={() => query.refetch()} />
        ) : !r ? (
          <Skeleton className="h-40 w-full" />
        ) : (
          <>
            {r.plan_fingerprint && r.plan_fingerprint !== fingerprint ? (
              <p className="flex gap-2 rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground">
                <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
                This rehearsal was made for an earlier plan ({r.plan_fingerprint.slice(0, 12)}): rehearse the current one before executing it.
              </p>
            ) : null}
            <ExecutionProgress execution={r} stream={state} />
            {r.size_review ? <SizeFlagList flags={r.size_review.flags} label="Blocking locks on large tables" /> : null}
            <ExecutionTargetsTable execution={r} />
          </>
        )}
      </CardContent>
    </Card>
  );
}
