"use client";

import { ArrowLeft, Info, ListChecks, RotateCcw, TriangleAlert, Undo2 } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, type ReactNode } from "react";
import { missesStreamedEvents } from "@/components/api/apply-execution-event";
import { isFinished, type ExecutionDetail } from "@/components/api/execution-types";
import { useExecution } from "@/components/api/get-execution";
import { useLinkedExecutions } from "@/components/api/list-executions";
import { useExecutionEvents } from "@/components/api/use-execution-events";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { LoadingState } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";
import { describeScope } from "@/components/api/scope-request";
import { executionTitle, KIND_LABELS, planHref, scopeOf } from "./describe-execution";
import {
  ApproveExecutionButton,
  ResumeExecutionButton,
  CancelExecutionButton,
  RehearseRollbackButton,
  RetryExecutionButton,
  RollbackExecutionButton,
} from "./execution-actions";
import { ExecutionProgress } from "./execution-progress";
import { SizeFlagList } from "@/components/plan/size-flags";
import { useDismissStartedToast } from "./execution-toasts";
import { ExecutionTargetsTable } from "./execution-targets-table";
import { ExecutePlanButton } from "./execute-plan-button";
import { CopyApiCall } from "@/components/api-call/copy-api-call";
import { executeCall, rollbackCall } from "@/components/api-call/calls";
import { useCan } from "@/components/providers/viewer-context";
import { formatTime, shortId } from "./format";
import { LockView } from "./lock-view";
import { WaveStrip } from "./wave-strip";
import { WindowNotice } from "./window-wait";

/** One execution, live: progress, per-target results, and what can be done with it. */
export function ExecutionView({ id }: { id: string }) {
  const query = useExecution(id, 0, { fresh: true });
  const e = query.data;
  const live = !!e && !isFinished(e.status);
  const { state, lastEventId } = useExecutionEvents(id, live);
  useDismissStartedToast(e);
  // The status on screen was read before events the stream already applied (a read in flight when
  // they arrived landed after them and put older rows back: an execution that ended shown as
  // running, with the stream already over): read it again until it includes them.
  const behind = missesStreamedEvents(e, lastEventId);
  const { isFetching, isError, refetch } = query;
  const catchUpReads = useRef(0);
  useEffect(() => {
    if (!behind) {
      catchUpReads.current = 0;
      return;
    }
    if (isFetching || isError || catchUpReads.current >= 3) return;
    catchUpReads.current += 1;
    void refetch();
  }, [behind, isFetching, isError, refetch]);

  if (query.isError) {
    return (
      <>
        <BackLink />
        <ErrorState title="This execution could not be loaded" message={query.error.message} onRetry={() => query.refetch()} />
      </>
    );
  }
  if (!e) {
    return (
      <>
        <BackLink />
        <LoadingState label="Loading the execution…" />
        <Skeleton className="h-48 w-full" />
      </>
    );
  }

  return (
    <>
      <PageHeader
        eyebrow={<BackLink bare />}
        title={
          <span className="flex flex-wrap items-center gap-3">
            {executionTitle(e)}
            <StatusBadge kind="execution" status={e.status} className="text-sm" />
          </span>
        }
        description={`${shortId(e.id)} · started by ${e.executed_by} · ${formatTime(e.created_at)}`}
        actions={<Actions execution={e} />}
      />
      <div className="grid min-w-0 grid-cols-1 gap-6" data-testid="execution" data-status={e.status}>
        <Notices execution={e} />
        <WindowNotice execution={e} />
        <Card>
          <CardContent className="pt-5">
            <ExecutionProgress execution={e} stream={state} />
          </CardContent>
        </Card>
        <WaveStrip execution={e} />
        <LockView executionId={e.id} running={e.status === "in_progress"} />
        {e.size_review?.flags.length ? (
          <Card className="min-w-0">
            <CardContent className="pt-5">
              <SizeFlagList flags={e.size_review.flags} label="Blocking locks on large tables" />
            </CardContent>
          </Card>
        ) : null}
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>{e.dry_run ? "Per-target results" : "Targets"}</CardTitle>
          </CardHeader>
          <CardContent>
            <ExecutionTargetsTable execution={e} />
          </CardContent>
        </Card>
        <Details execution={e} />
      </div>
    </>
  );
}

function BackLink({ bare = false }: { bare?: boolean }) {
  const link = (
    <Link href="/executions" className="inline-flex items-center gap-1 hover:underline">
      <ArrowLeft className="size-3.5" aria-hidden /> Executions
    </Link>
  );
  return bare ? link : <div className="mb-4 text-sm text-muted-foreground">{link}</div>;
}

/** A finished rehearsal in which no target applied: executing its plan would apply nothing. */
const NOTHING_APPLIES = "rehearsal-nothing-applies";
const nothingApplies = (e: ExecutionDetail) =>
  e.kind === "rehearsal" && isFinished(e.status) && e.status !== "cancelled" && e.progress.completed_targets === 0 && e.progress.failed_targets > 0;

function Actions({ execution: e }: { execution: ExecutionDetail }) {
  const canRun = useCan("executions.run");
  const calls = [
    ...(e.kind === "migrate" && !e.dry_run && e.status === "completed" ? [{ title: "Roll back", call: rollbackCall(e.id) }] : []),
    ...(e.kind === "rehearsal" && e.plan_fingerprint ? [{ title: "Execute this rehearsed plan", call: executeCall(scopeOf(e), e.plan_fingerprint, false) }] : []),
  ];
  return (
    <>
      <ApproveExecutionButton execution={e} />
      <ResumeExecutionButton execution={e} />
      <CancelExecutionButton execution={e} />
      <RetryExecutionButton execution={e} />
      <RehearseRollbackButton execution={e} />
      <RollbackExecutionButton execution={e} />
      {e.kind === "rehearsal" && isFinished(e.status) && e.status !== "cancelled" && e.plan_fingerprint ? (
        <ExecutePlanButton
          scope={scopeOf(e)}
          fingerprint={e.plan_fingerprint}
          rehearsal={e.progress}
          targets={e.progress.total_targets}
          migrations={e.plan_totals?.pending_migrations}
          disabled={nothingApplies(e)}
          describedBy={nothingApplies(e) ? NOTHING_APPLIES : undefined}
        />
      ) : null}
      {calls.length && canRun ? <CopyApiCall calls={calls} permission="migrations:execute" /> : null}
      {e.kind !== "rollback" ? (
        <Button variant="ghost" asChild>
          <Link href={planHref(e)}>
            <ListChecks aria-hidden />
            Plan this scope
          </Link>
        </Button>
      ) : null}
    </>
  );
}

function Notice({ tone, icon, children }: { tone: "info" | "warning" | "destructive"; icon: ReactNode; children: ReactNode }) {
  const tones = {
    info: "border-info-border bg-info-soft text-info-soft-foreground",
    warning: "border-warning-border bg-warning-soft text-warning-soft-foreground",
    destructive: "border-destructive-border bg-destructive-soft text-destructive-soft-foreground",
  };
  return <div className={`flex gap-2.5 rounded-md border px-4 py-3 text-sm ${tones[tone]}`}>{icon}<div className="grid gap-1">{children}</div></div>;
}

/** The findings the review policy made this execution wait for a second operator on (metadata.review). */
function policyApprovals(e: ExecutionDetail): Array<{ rule: string; file: string; line: number }> {
  const review = e.metadata.review as { requires_approval?: unknown } | undefined;
  return Array.isArray(review?.requires_approval) ? (review.requires_approval as Array<{ rule: string; file: string; line: number }>) : [];
}

function Notices({ execution: e }: { execution: ExecutionDetail }) {
  const meta = e.metadata;
  const original = typeof meta.rollback_of === "string" ? meta.rollback_of : null;
  const retryOf = typeof meta.retry_of === "string" ? meta.retry_of : null;
  const toVersion = typeof meta.to_version === "string" ? meta.to_version : null;
  const rolledBack = meta.rolled_back && typeof meta.rolled_back === "object" ? (meta.rolled_back as { status_before?: string }) : null;
  const findLinked = e.kind === "migrate" && !e.dry_run;
  const { rollbacks, retries } = useLinkedExecutions(e.id, findLinked);
  const icon = (Icon: typeof Info) => <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />;
  const link = (id: string, words = `execution ${shortId(id)}`) => (
    <Link className="font-medium underline" href={`/executions/${id}`}>
      {words}
    </Link>
  );
  return (
    <>
      {e.awaiting_approval ? (
        <Notice tone="info" icon={icon(Info)}>
          <p className="font-medium">Waiting for approval</p>
          <p>A second person with migrations:manage must approve before it starts ({e.executed_by} cannot approve their own).</p>
          {policyApprovals(e).length ? (
            <p data-testid="policy-approval">
              The review policy requires it:{" "}
              {policyApprovals(e)
                .map((f) => `${f.rule} at ${f.file}:${f.line}`)
                .join("; ")}
              .
            </p>
          ) : null}
        </Notice>
      ) : null}
      {nothingApplies(e) ? (
        <Notice tone="warning" icon={icon(TriangleAlert)}>
          <p id={NOTHING_APPLIES} data-testid="nothing-applies">
            No target would apply this plan: every target failed the rehearsal or is blocked. Fix what the results below show,
            then plan and rehearse again.
          </p>
        </Notice>
      ) : null}
      {e.kind === "rehearsal" ? (
        <Notice tone="info" icon={icon(Info)}>
          <p>
            A rehearsal keeps nothing: each target ran its pending migrations inside a transaction that was rolled back. Targets
            that would fail show the PostgreSQL error and statement.
          </p>
        </Notice>
      ) : null}
      {e.kind === "rollback" && e.dry_run ? (
        <Notice tone="info" icon={icon(Info)}>
          <p>
            A rehearsed rollback keeps nothing: each target ran its down parts inside a transaction that was rolled back. Targets
            whose rollback would fail show the PostgreSQL error and statement.
          </p>
        </Notice>
      ) : null}
      {e.cancel_requested_at && !isFinished(e.status) ? (
        <Notice tone="warning" icon={icon(TriangleAlert)}>
          <p>
            Cancellation requested by {e.cancel_requested_by ?? "someone"}: running targets stop after their current migration.
          </p>
        </Notice>
      ) : null}
      {e.error_message ? (
        <Notice tone={e.status === "failed" || rolledBack?.status_before === "failed" ? "destructive" : "warning"} icon={icon(TriangleAlert)}>
          {rolledBack?.status_before && rolledBack.status_before !== "completed" ? (
            <p className="font-medium">It {rolledBack.status_before === "failed" ? "failed" : "was cancelled"} before it was rolled back:</p>
          ) : null}
          <p data-testid="execution-error">{e.error_message}</p>
        </Notice>
      ) : null}
      {original ? (
        <Notice tone="info" icon={icon(Undo2)}>
          <p>
            {e.dry_run ? "Rehearses rolling back" : "Rolls back"} {link(original)}
            {Array.isArray(meta.target_ids) ? ` (${meta.target_ids.length} of its targets)` : ""}.
          </p>
        </Notice>
      ) : null}
      {toVersion !== null ? (
        <Notice tone="info" icon={icon(Undo2)}>
          <p>
            {e.dry_run ? "Rehearses rolling" : "Rolls"} {e.params.schema_name ?? "the target"} back to version {toVersion}: every migration
            applied after it, newest first.
          </p>
        </Notice>
      ) : null}
      {retryOf ? (
        <Notice tone="info" icon={icon(RotateCcw)}>
          <p>
            Retries the targets of {link(retryOf)} that did not succeed, planned against the current catalog.
          </p>
        </Notice>
      ) : null}
      {findLinked && rollbacks.data?.executions.length ? (
        <Notice tone="warning" icon={icon(Undo2)}>
          {rollbacks.data.executions.map((r) => (
            <p key={r.id}>
              {e.status === "rolled_back" && r.id === (meta.rolled_back as { by?: string } | undefined)?.by ? "Rolled back by" : "Rollback"}{" "}
              {link(r.id)}
              {Array.isArray(r.metadata.target_ids) ? `, ${r.metadata.target_ids.length} target${r.metadata.target_ids.length === 1 ? "" : "s"}` : ""} (
              {r.status.replace("_", " ")}).
            </p>
          ))}
        </Notice>
      ) : null}
      {findLinked && retries.data?.executions.length ? (
        <Notice tone="info" icon={icon(RotateCcw)}>
          {retries.data.executions.map((r) => (
            <p key={r.id}>
              Retried by {link(r.id)} ({r.status.replace("_", " ")}).
            </p>
          ))}
        </Notice>
      ) : null}
    </>
  );
}

function Details({ execution: e }: { execution: ExecutionDetail }) {
  const rows: Array<[string, ReactNode]> = [
    ["Kind", KIND_LABELS[e.kind]],
    ["Scope", describeScope(scopeOf(e))],
    ["Plan fingerprint", e.plan_fingerprint ? <span className="font-mono text-xs break-all">{e.plan_fingerprint}</span> : "not pinned"],
    ["Catalog", typeof e.metadata.catalog_checksum === "string" ? <span className="font-mono text-xs">{e.metadata.catalog_checksum.slice(0, 16)}</span> : "—"],
    ["Started by", e.executed_by],
    ["Approved by", e.approved_by ? `${e.approved_by} at ${formatTime(e.approved_at)}` : "—"],
    ["Created", formatTime(e.created_at)],
    ["Started", formatTime(e.started_at)],
    ["Finished", formatTime(e.completed_at)],
    ["Execution id", <span key="id" className="font-mono text-xs">{e.id}</span>],
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Details</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted-foreground">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}
