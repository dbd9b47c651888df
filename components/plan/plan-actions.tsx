"use client";

import { Check, FlaskConical } from "lucide-react";
import { toast } from "sonner";
import { useExecuteMigrations } from "@/components/api/execute-migrations";
import { isFinished } from "@/components/api/execution-types";
import type { Plan } from "@/components/api/get-plan";
import { useExecution } from "@/components/api/get-execution";
import { describeScope, type ScopeRequest } from "@/components/api/scope-request";
import { BaselineDialog } from "@/components/adoption/baseline-dialog";
import { compareVersions } from "@/server/domain/versions";
import { ExecutePlanButton } from "@/components/executions/execute-plan-button";
import { describeExecutionError } from "@/components/executions/plan-changed";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/**
 * The plan's next steps: rehearse it (dry-run), then approve and execute the same fingerprint.
 * Without migrations:execute the steps are described, not offered.
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
  const rehearsal = rehearsalQuery.data;
  const current = rehearsal && rehearsalId && rehearsal.plan_fingerprint === plan.fingerprint ? rehearsal : null;
  const rehearsed = current && isFinished(current.status) && current.status !== "cancelled" ? current : null;
  const work = plan.totals.pending + plan.totals.blocked;
  const baseline = <PlanBaseline plan={plan} scope={scope} />;

  if (!canRehearse && !canRun) {
    return (
      <div className="flex flex-wrap items-center gap-3 border-t pt-4">
        <p className="mr-auto text-sm text-muted-foreground">Read-only: rehearsing and executing a plan need the migrations:execute permission.</p>
        {baseline}
      </div>
    );
  }

  const rehearse = async () => {
    try {
      const started = await execute.mutateAsync({ ...scope, dry_run: true, plan_fingerprint: plan.fingerprint });
      toast.success("Rehearsal started", { description: "Each target runs its migrations in a transaction that is rolled back." });
      onRehearsal(started.id);
    } catch (error) {
      const e = describeExecutionError(error);
      toast.error(e.title, { description: e.message });
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-3 border-t pt-4">
      <ol className="mr-auto flex flex-wrap items-center gap-2 text-sm text-muted-foreground" aria-label="Steps">
        <Step n={1} label="Preview" state="done" />
        <li aria-hidden>→</li>
        <Step n={2} label="Rehearse" state={rehearsed ? "done" : "current"} />
        <li aria-hidden>→</li>
        <Step n={3} label="Approve and execute" state={rehearsed ? "current" : "next"} />
      </ol>
      {baseline}
      {canRehearse ? (
        <Button
          variant={rehearsed ? "outline" : "default"}
          onClick={rehearse}
          disabled={execute.isPending || work === 0 || (current !== null && !isFinished(current.status))}
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
          variant={rehearsed ? "default" : "outline"}
        />
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

function Step({ n, label, state }: { n: number; label: string; state: "done" | "current" | "next" }) {
  return (
    <li aria-current={state === "current" ? "step" : undefined} className={state === "next" ? undefined : "font-medium text-foreground"}>
      {state === "done" ? <Check className="mr-1 inline size-3.5 text-success-soft-foreground" aria-label="done" /> : `${n}. `}
      {label}
    </li>
  );
}
