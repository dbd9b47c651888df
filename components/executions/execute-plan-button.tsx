"use client";

import { Play, TriangleAlert } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useExecuteMigrations } from "@/components/api/execute-migrations";
import type { ExecutionProgress } from "@/components/api/execution-types";
import { describeScope, type ScopeRequest } from "@/components/api/scope-request";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toastExecutionStarted } from "./execution-toasts";
import { describeExecutionError } from "./plan-changed";
import { EMPTY_ROLLOUT_FORM, parseRolloutForm, type RolloutForm, type RolloutFormErrors } from "./rollout-input";

/** What an operator types to execute a plan whose rehearsal failed. */
export const EXECUTE_ANYWAY = "execute anyway";

/** How a plan's rehearsal ended, for the buttons that act on it. */
export function rehearsalOutcome(progress: ExecutionProgress | null | undefined): "none" | "clean" | "failed" {
  if (!progress) return "none";
  return progress.failed_targets > 0 ? "failed" : "clean";
}

/**
 * "Approve and execute": runs the scope pinned to the fingerprint the operator reviewed (and
 * rehearsed), after a confirmation that says what will happen. It is the page's primary action
 * only after a clean rehearsal. After a failed one it becomes "Execute anyway…", never primary,
 * and the confirmation needs the words typed. With `disabled` it is shown but inert, the page
 * saying why next to it (`describedBy`). Rendered only for migrations:execute.
 */
export function ExecutePlanButton({
  scope,
  fingerprint,
  rehearsal,
  targets,
  migrations,
  disabled = false,
  describedBy,
}: {
  scope: ScopeRequest;
  fingerprint: string;
  /** The rehearsal's outcome, when there was one for this fingerprint. */
  rehearsal?: ExecutionProgress | null;
  targets?: number;
  migrations?: number;
  disabled?: boolean;
  /** The id of the text saying why the button is disabled. */
  describedBy?: string;
}) {
  const allowed = useCan("executions.run");
  const router = useRouter();
  const execute = useExecuteMigrations();
  const [waved, setWaved] = useState(false);
  const [form, setForm] = useState<RolloutForm>(EMPTY_ROLLOUT_FORM);
  const [errors, setErrors] = useState<RolloutFormErrors>({});
  if (!allowed) return null;
  const outcome = rehearsalOutcome(rehearsal);

  if (disabled) {
    return (
      <Button variant="outline" disabled aria-describedby={describedBy}>
        <Play aria-hidden />
        Approve and execute
      </Button>
    );
  }

  const run = async () => {
    const parsed = waved ? parseRolloutForm(form) : null;
    if (parsed && "errors" in parsed) {
      setErrors(parsed.errors);
      throw new Error("the waves need fixing");
    }
    setErrors({});
    try {
      const execution = await execute.mutateAsync({
        ...scope,
        dry_run: false,
        plan_fingerprint: fingerprint,
        ...(parsed ? { rollout: parsed.rollout } : {}),
      });
      toastExecutionStarted(
        execution.id,
        execution.awaiting_approval ? "Execution created: waiting for a second person to approve it" : "Execution started",
        { description: describeScope(scope) },
      );
      router.push(`/executions/${execution.id}`);
    } catch (error) {
      const e = describeExecutionError(error);
      toast.error(e.title, { description: e.message });
      throw error;
    }
  };

  const failed = outcome === "failed";
  return (
    <ConfirmDialog
      trigger={
        <Button variant={outcome === "clean" ? "default" : "outline"} aria-describedby={describedBy}>
          {failed ? <TriangleAlert aria-hidden /> : <Play aria-hidden />}
          {failed ? "Execute anyway…" : "Approve and execute"}
        </Button>
      }
      title={failed ? "Execute although the rehearsal failed?" : "Execute this plan?"}
      description={`${describeScope(scope)}: the pending migrations are applied for real, target by target.`}
      confirmLabel={failed ? "Execute anyway" : "Execute"}
      destructive={failed}
      confirmPhrase={failed ? EXECUTE_ANYWAY : undefined}
      onConfirm={run}
    >
      <ul className="grid gap-1.5">
        {targets !== undefined ? (
          <li>
            {targets} target{targets === 1 ? "" : "s"} with pending work
            {migrations !== undefined ? `, ${migrations} migration${migrations === 1 ? "" : "s"} in all` : ""}.
          </li>
        ) : null}
        <li>
          Pinned to plan <span className="font-mono text-xs">{fingerprint.slice(0, 16)}</span>: if anything changed since, the
          console refuses and says what.
        </li>
        {rehearsal ? (
          failed ? (
            <li className="text-destructive-soft-foreground">
              The rehearsal failed on {rehearsal.failed_targets} target{rehearsal.failed_targets === 1 ? "" : "s"}: they will fail
              again; the others go on.
            </li>
          ) : (
            <li className="text-success-soft-foreground">The rehearsal applied cleanly on {rehearsal.completed_targets} targets.</li>
          )
        ) : (
          <li className="text-warning-soft-foreground">This plan has not been rehearsed.</li>
        )}
        <li className="text-muted-foreground">Completed executions can be rolled back with their down parts.</li>
      </ul>
      <div className="mt-3 grid gap-3 rounded-md border p-3">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={waved} onChange={(e) => setWaved(e.target.checked)} data-testid="rollout-waved" />
          Roll out in waves
        </label>
        {waved ? <RolloutFields form={form} errors={errors} onChange={setForm} /> : null}
      </div>
    </ConfirmDialog>
  );
}

/** Canaries, waves, soak and halt rule of a waved rollout (see rollout-input.ts for the words). */
function RolloutFields({ form, errors, onChange }: { form: RolloutForm; errors: RolloutFormErrors; onChange: (form: RolloutForm) => void }) {
  const set = (key: keyof RolloutForm) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...form, [key]: e.target.value });
  return (
    <div className="grid gap-3">
      <Field label="Canary tenants" hint="Tenant ids or tags (metadata.tags), separated by commas: they go first, with the admin and shared targets." error={errors.canaries}>
        {(control) => <Input {...control} value={form.canaries} onChange={set("canaries")} placeholder="early-adopters" />}
      </Field>
      <Field label="Then" hint="Percentages of the other tenants, numbers of targets, or rest: 10%, 50%, rest" error={errors.waves}>
        {(control) => <Input {...control} value={form.waves} onChange={set("waves")} />}
      </Field>
      <div className="grid grid-cols-3 gap-3">
        <Field label="Soak (s)" hint="between waves" error={errors.soakSeconds}>
          {(control) => <Input {...control} inputMode="numeric" value={form.soakSeconds} onChange={set("soakSeconds")} />}
        </Field>
        <Field label="Halt above (targets)" hint="blank: the default" error={errors.maxFailedTargets}>
          {(control) => <Input {...control} inputMode="numeric" value={form.maxFailedTargets} onChange={set("maxFailedTargets")} />}
        </Field>
        <Field label="Halt above (%)" hint="of a wave" error={errors.maxFailedPercent}>
          {(control) => <Input {...control} inputMode="decimal" value={form.maxFailedPercent} onChange={set("maxFailedPercent")} />}
        </Field>
      </div>
    </div>
  );
}
