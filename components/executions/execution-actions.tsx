"use client";

import { Ban, CheckCheck, FlaskConical, Play, RotateCcw, Undo2 } from "lucide-react";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useApproveExecution } from "@/components/api/approve-execution";
import { useCancelExecution } from "@/components/api/cancel-execution";
import type { ExecutionDetail, ExecutionTarget } from "@/components/api/execution-types";
import { useResumeExecution } from "@/components/api/resume-execution";
import { useRetryExecution } from "@/components/api/retry-execution";
import { useRollbackExecution } from "@/components/api/rollback-execution";
import { useCan, useViewer } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Spinner } from "@/components/ui/spinner";
import { toastExecutionStarted } from "./execution-toasts";
import { describeExecutionError } from "./plan-changed";
import { RollbackDialog } from "./rollback-dialog";

function fail(error: unknown): never {
  const e = describeExecutionError(error);
  toast.error(e.title, { description: e.message });
  throw error;
}

/** Cancel: queued targets are skipped, running ones finish their current migration. */
export function CancelExecutionButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.cancel");
  const cancel = useCancelExecution();
  const open = execution.status === "pending" || execution.status === "in_progress" || execution.status === "halted";
  if (!allowed || !open || execution.cancel_requested_at) return null;
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline">
          <Ban aria-hidden />
          Cancel execution
        </Button>
      }
      title="Cancel this execution?"
      description="Queued targets are skipped. Targets already running finish the migration they are in, then stop; what was applied stays applied."
      confirmLabel="Cancel execution"
      cancelLabel="Keep running"
      destructive
      onConfirm={async () => {
        try {
          await cancel.mutateAsync(execution.id);
          toast.success("Cancellation requested", { description: "Running targets stop after their current migration." });
        } catch (error) {
          fail(error);
        }
      }}
    />
  );
}

/** Resume a halted rollout: the halted wave's failed targets run again (or their failures are accepted), then the waves go on. */
export function ResumeExecutionButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.resume");
  const resume = useResumeExecution();
  const [retryFailed, setRetryFailed] = useState(true);
  const wave = execution.rollout?.halted ? execution.rollout.waves[execution.rollout.halted.wave] : undefined;
  if (!allowed || execution.status !== "halted" || execution.cancel_requested_at) return null;
  return (
    <ConfirmDialog
      trigger={
        <Button>
          <Play aria-hidden />
          Resume rollout…
        </Button>
      }
      title="Resume this rollout?"
      description={`${execution.rollout?.halted?.reason ?? "The rollout halted"}. Resume once you have looked at (or fixed) what failed: the ${
        wave ? `${wave.label} wave` : "halted wave"
      } goes on, then the next waves.`}
      confirmLabel="Resume"
      onConfirm={async () => {
        try {
          await resume.mutateAsync({ id: execution.id, retryFailed });
          toast.success("Rollout resumed", { description: retryFailed ? "The failed targets of the wave run again." : "Their failures are accepted." });
        } catch (error) {
          fail(error);
        }
      }}
    >
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-0.5"
          checked={retryFailed}
          onChange={(ev) => setRetryFailed(ev.target.checked)}
          data-testid="resume-retry-failed"
        />
        <span>Run the wave&apos;s failed targets again (each skips what it already applied). Unchecked, their failures are accepted and only failures after now count toward the halt rule.</span>
      </label>
    </ConfirmDialog>
  );
}

/** Approve (REQUIRE_APPROVAL): a second person with migrations:manage lets a pending execution start. */
export function ApproveExecutionButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.approve");
  const viewer = useViewer();
  const approve = useApproveExecution();
  if (!allowed || !execution.awaiting_approval || execution.executed_by === viewer.username) return null;
  return (
    <ConfirmDialog
      trigger={
        <Button>
          <CheckCheck aria-hidden />
          Approve
        </Button>
      }
      title="Approve this execution?"
      description={`${execution.executed_by} asked to run it. It starts as soon as you approve, if the plan is still the one they reviewed.`}
      confirmLabel="Approve and start"
      onConfirm={async () => {
        try {
          await approve.mutateAsync(execution.id);
          toast.success("Approved: the execution is starting");
        } catch (error) {
          fail(error);
        }
      }}
    />
  );
}

/** Executions that applied something and stopped: what they applied can be rolled back. */
export function canRollBack(e: ExecutionDetail): boolean {
  if (e.kind !== "migrate" || e.dry_run || !["completed", "failed", "cancelled", "halted"].includes(e.status)) return false;
  // A halted rollout is rolled back once its running targets finished.
  if (e.status === "halted" && e.targets.some((t) => t.status === "running")) return false;
  const listedAll = e.targets_page.total <= e.targets.length;
  return !listedAll || e.targets.some((t) => t.migrations.some((m) => m.status === "applied"));
}

/** Roll back an execution (completed, failed or cancelled), after listing per target what is undone. */
export function RollbackExecutionButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.rollback");
  const rollback = useRollbackExecution();
  if (!allowed || !canRollBack(execution)) return null;
  const partly = execution.status !== "completed";
  return (
    <RollbackDialog
      source={{ execution_id: execution.id }}
      title="Roll back this execution?"
      description={`The down parts of exactly what it applied${partly ? " before it stopped" : ""} run on each target, newest first, as a new execution. Targets that applied nothing are left out.`}
      submit={(dryRun) => rollback.mutateAsync({ execution_id: execution.id, dry_run: dryRun })}
      trigger={
        <Button variant="outline">
          <Undo2 aria-hidden />
          Roll back…
        </Button>
      }
    />
  );
}

/** Rehearse the rollback at once: every target's down parts in a transaction that is rolled back. */
export function RehearseRollbackButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.rollback");
  const router = useRouter();
  const rollback = useRollbackExecution();
  if (!allowed || !canRollBack(execution)) return null;
  const rehearse = async () => {
    try {
      const started = await rollback.mutateAsync({ execution_id: execution.id, dry_run: true });
      toastExecutionStarted(started.id, "Rehearsal of the rollback started", { description: "Nothing is changed: the down parts run in a transaction that is rolled back." });
      router.push(`/executions/${started.id}`);
    } catch (error) {
      const e = describeExecutionError(error);
      toast.error(e.title, { description: e.message });
    }
  };
  return (
    <Button variant="outline" onClick={() => void rehearse()} disabled={rollback.isPending}>
      {rollback.isPending ? <Spinner className="text-current" /> : <FlaskConical aria-hidden />}
      Rehearse rollback
    </Button>
  );
}

/** One target of the execution rolls back alone. */
export function RollbackTargetButton({ execution, target }: { execution: ExecutionDetail; target: ExecutionTarget }) {
  const allowed = useCan("executions.rollback");
  const rollback = useRollbackExecution();
  const applied = target.migrations.some((m) => m.status === "applied");
  if (!allowed || !applied || !canRollBack(execution)) return null;
  const name = `${target.connection_name}/${target.schema_name}`;
  return (
    <RollbackDialog
      source={{ execution_id: execution.id, target_ids: [target.id] }}
      title={`Roll back ${name}?`}
      description="The down parts of what this execution applied on this target run, newest first, as a new execution. The other targets are left as they are."
      submit={(dryRun) => rollback.mutateAsync({ execution_id: execution.id, target_ids: [target.id], dry_run: dryRun })}
      trigger={
        <Button variant="outline" size="sm">
          <Undo2 aria-hidden />
          Roll back this target
        </Button>
      }
    />
  );
}

/** Retry a failed or cancelled execution's targets that did not succeed, as a new execution. */
export function RetryExecutionButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.run");
  const router = useRouter();
  const retry = useRetryExecution();
  const unfinished = execution.progress.failed_targets + execution.progress.skipped_targets;
  const retryable = execution.kind === "migrate" && !execution.dry_run && (execution.status === "failed" || execution.status === "cancelled");
  if (!allowed || !retryable || unfinished === 0) return null;
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline">
          <RotateCcw aria-hidden />
          Retry failed targets
        </Button>
      }
      title="Retry the targets that did not succeed?"
      description={`The ${unfinished} failed or skipped target${unfinished === 1 ? "" : "s"} run again as a new execution, planned against the current catalog, so each ends at its head. Targets that succeeded are left alone.`}
      confirmLabel="Retry"
      onConfirm={async () => {
        try {
          const started = await retry.mutateAsync(execution.id);
          toastExecutionStarted(started.id, started.awaiting_approval ? "Retry waiting for approval" : "Retry started");
          router.push(`/executions/${started.id}`);
        } catch (error) {
          fail(error);
        }
      }}
    />
  );
}
