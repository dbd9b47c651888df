"use client";

import { Check, FlaskConical, X } from "lucide-react";
import { useId } from "react";
import { toast } from "sonner";
import { CopyApiCall, type NamedApiCall } from "@/components/api-call/copy-api-call";
import { executeCall, planCall } from "@/components/api-call/calls";
import { useExecuteMigrations } from "@/components/api/execute-migrations";
import { isFinished } from "@/components/api/execution-types";
import type { Plan } from "@/components/api/get-plan";
import { useExecution } from "@/components/api/get-execution";
import { describeScope, type ScopeRequest } from "@/components/api/scope-request";
import { BaselineDialog } from "@/components/adoption/baseline-dialog";
import { compareVersions } from "@/server/domain/versions";
import { ExecutePlanButton, rehearsalOutcome } from "@/components/executions/execute-plan-button";
import { toastExecutionStarted } from "@/components/executions/execution-toasts";
import { describeExecutionError } from "@/components/executions/plan-changed";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/**
 * Why nothing of the plan can be rehearsed or executed, or null when some target is ready. Shown
 * next to the disabled buttons.
 */
export function nothingReadyReason(plan: Plan): string | null {
  const t = plan.totals;
  if (t.pending > 0) return null;
  if (t.blocked === 0 && t.unreachable === 0) return "Nothing to rehearse or execute: every target is up to date.";
  const parts = [t.blocked ? `${t.blocked} blocked` : null, t.unreachable ? `${t.unreachable} unreachable` : null].filter(Boolean);
  const way = plan.providers_needed ? "include what they need, or see the findings below" : "see the findings below";
  return `Nothing is ready to run: ${parts.join(" and ")} of ${t.targets} target${t.targets === 1 ? "" : "s"} — ${way}.`;
}

/**
 * The plan's next steps: rehearse it (dry-run), then approve and execute the same fingerprint.
 * Nothing ready: both disabled with the reason. A failed rehearsal: the step shows it, and
 * executing needs "execute anyway" typed. Without migrations:execute the steps are described, not
 * offered.
 */
export function PlanActions({
  plan,
  scope,
  rehearsalId,
  onRehearsal,
}: {
  plan: Plan;
  scope: ScopeRequest;
  rehearsalId: string | null;
  onRehearsal: (id: string) => void;
}) {
  const canRehearse = useCan("executions.dryRun");
  const canRun = useCan("executions.run");
  const execute = useExecuteMigrations();
  const rehearsalQuery = useExecution(rehearsalId);
  const reasonId = useId();
  const rehearsal = rehearsalQuery.data;
  const current = rehearsal && rehearsalId && rehearsal.plan_fingerprint === plan.fingerprint ? rehearsal : null;
  const rehearsed = current && isFinished(current.status) && current.status !== "cancelled" ? current : null;
  const outcome = rehearsalOutcome(rehearsed?.progress);
  const work = plan.totals.pending + plan.totals.blocked;
  const reason = nothingReadyReason(plan);
  const baseline = <PlanBaseline plan={plan} scope={scope} />;
  const calls: NamedApiCall[] = [{ title: "Preview this plan", call: planCall(scope) }];
  if (canRehearse) calls.push({ title: "Dry-run", call: executeCall(scope, plan.fingerprint, true) });
  if (canRun) calls.push({ title: "Approve and execute", call: executeCall(scope, plan.fingerprint, false) });
  const copy = <CopyApiCall calls={calls} permission={calls.length > 1 ? "migrations:execute" : "migrations:read"} />;

  if (!canRehearse && !canRun) {
    return (
      <div className="flex flex-wrap items-center gap-3 border-t pt-4">
        <p className="mr-auto text-sm text-muted-foreground">Read-only: rehearsing and executing a plan need the migrations:execute permission.</p>
        {baseline}
        {copy}
      </div>
    );
  }

  const rehearse = async () => {
    try {
      const started = await execute.mutateAsync({ ...scope, dry_run: true, plan_fingerprint: plan.fingerprint });
      toastExecutionStarted(started.id, "Rehearsal started", { description: "Each target runs its migrations in a transaction that is rolled back." });
      onRehearsal(started.id);
    } catch (error) {
      const e = describeExecutionError(error);
      toast.error(e.title, { description: e.message });
    }
  };

  return (
    <div className="grid gap-3 border-t pt-4">
      <div className="flex flex-wrap items-center gap-3">
        <ol className="mr-auto flex flex-wrap items-center gap-2 text-sm text-muted-foreground" aria-label="Steps">
          <Step n={1} label="Preview" state="done" />
          <li aria-hidden>→</li>
          <Step
            n={2}
            label={outcome === "failed" ? `Rehearse: failed on ${rehearsed!.progress.failed_targets} target${rehearsed!.progress.failed_targets === 1 ? "" : "s"}` : "Rehearse"}
            state={outcome === "clean" ? "done" : outcome === "failed" ? "failed" : reason ? "next" : "current"}
          />
          <li aria-hidden>→</li>
          <Step n={3} label="Approve and execute" state={outcome === "clean" ? "current" : "next"} />
        </ol>
        {baseline}
        {copy}
        {canRehearse ? (
          <Button
            variant={outcome === "clean" ? "outline" : "default"}
            onClick={rehearse}
            disabled={execute.isPending || reason !== null || (current !== null && !isFinished(current.status))}
            aria-describedby={reason ? reasonId : undefined}
          >
            {execute.isPending ? <Spinner className="text-current" /> : <FlaskConical aria-hidden />}
            {rehearsed ? "Rehearse again" : "Dry-run"}
          </Button>
        ) : null}
        {canRun && work > 0 && !(rehearsalId && rehearsalQuery.isPending) ? (
          <ExecutePlanButton
            scope={scope}
            fingerprint={plan.fingerprint}
            rehearsal={rehearsed?.progress ?? null}
            targets={work}
            migrations={plan.totals.pending_migrations}
            disabled={reason !== null}
            describedBy={reason ? reasonId : undefined}
          />
        ) : null}
      </div>
      {reason ? (
        <p id={reasonId} className="text-sm text-muted-foreground" data-testid="plan-not-ready">
          {reason}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Adopting the scope's targets (schemas that already hold what pending migrations create): the
 * versions pending somewhere in the plan, each tier marked up to the one chosen.
 */
function PlanBaseline({ plan, scope }: { plan: Plan; scope: ScopeRequest }) {
  const canBaseline = useCan("migrations.baseline");
  if (!canBaseline || plan.migrations.length === 0) return null;
  const byVersion = new Map<string, string[]>();
  for (const m of plan.migrations) byVersion.set(m.version, [...(byVersion.get(m.version) ?? []), m.id]);
  const versions = [...byVersion.entries()]
    .sort(([a], [b]) => compareVersions(a, b))
    .map(([version, ids]) => ({ version, ids }));
  return <BaselineDialog scope={scope} what={describeScope(scope).toLowerCase()} versions={versions} />;
}

function Step({ n, label, state }: { n: number; label: string; state: "done" | "current" | "next" | "failed" }) {
  return (
    <li
      aria-current={state === "current" ? "step" : undefined}
      data-state={state}
      className={state === "failed" ? "font-medium text-destructive-soft-foreground" : state === "next" ? undefined : "font-medium text-foreground"}
    >
      {state === "done" ? (
        <Check className="mr-1 inline size-3.5 text-success-soft-foreground" aria-label="done" />
      ) : state === "failed" ? (
        <X className="mr-1 inline size-3.5" aria-label="failed" />
      ) : (
        `${n}. `
      )}
      {label}
    </li>
  );
}
