"use client";

import { Ban, CheckCheck, Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useApproveExecution } from "@/components/api/approve-execution";
import { useCancelExecution } from "@/components/api/cancel-execution";
import type { ExecutionDetail } from "@/components/api/execution-types";
import { useCatalog } from "@/components/api/get-catalog";
import { useRollbackExecution } from "@/components/api/rollback-execution";
import { useCan, useViewer } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeExecutionError } from "./plan-changed";
import { rollbackSummary } from "./rollback-summary";

function fail(error: unknown): never {
  const e = describeExecutionError(error);
  toast.error(e.title, { description: e.message });
  throw error;
}

/** Cancel: queued targets are skipped, running ones finish their current migration. */
export function CancelExecutionButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.cancel");
  const cancel = useCancelExecution();
  const open = execution.status === "pending" || execution.status === "in_progress";
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

/** Roll back a completed execution, after listing exactly what will be undone. */
export function RollbackExecutionButton({ execution }: { execution: ExecutionDetail }) {
  const allowed = useCan("executions.rollback");
  const router = useRouter();
  const rollback = useRollbackExecution();
  const rollbackable = execution.kind === "migrate" && !execution.dry_run && execution.status === "completed";
  const catalog = useCatalog();
  if (!allowed || !rollbackable) return null;

  const summary = rollbackSummary(execution.targets);
  const known = new Map((catalog.data?.migrations ?? []).map((m) => [m.id, m]));
  const withoutDown = summary.migrations.filter((m) => known.get(m.id)?.has_down === false);
  const partial = execution.targets_page.total > execution.targets.length;

  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline">
          <Undo2 aria-hidden />
          Roll back
        </Button>
      }
      title="Roll back this execution?"
      description={`The down parts of the ${summary.total} migration run${summary.total === 1 ? "" : "s"} it applied are executed, newest first, on ${summary.targets.length} target${summary.targets.length === 1 ? "" : "s"}, as a new execution.`}
      confirmLabel="Roll back"
      destructive
      onConfirm={async () => {
        try {
          const started = await rollback.mutateAsync(execution.id);
          toast.success("Rollback started");
          router.push(`/executions/${started.id}`);
        } catch (error) {
          fail(error);
        }
      }}
    >
      <div className="grid gap-3">
        <div>
          <p className="mb-1 font-medium">Will be undone</p>
          <ul className="grid max-h-48 gap-1 overflow-y-auto rounded-md border p-2" aria-label="Migrations to undo">
            {summary.migrations.map((m) => (
              <li key={m.id} className="flex justify-between gap-3">
                <span className="font-mono text-xs">{m.id}</span>
                <span className="text-xs text-muted-foreground">
                  {m.targets} target{m.targets === 1 ? "" : "s"}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <details>
          <summary className="cursor-pointer text-muted-foreground">Per target</summary>
          <ul className="mt-1 grid max-h-40 gap-1 overflow-y-auto text-xs">
            {summary.targets.map((t) => (
              <li key={t.name}>
                <span className="font-mono">{t.name}</span>: {t.migrations.join(" → ")}
              </li>
            ))}
          </ul>
        </details>
        {withoutDown.length ? (
          <p className="text-destructive-soft-foreground">
            No down part in {withoutDown.map((m) => m.id).join(", ")}: the console will refuse this rollback.
          </p>
        ) : null}
        {partial ? (
          <p className="text-muted-foreground">Only the first {execution.targets.length} targets are listed; the rollback covers all of them.</p>
        ) : null}
        <p className="text-muted-foreground">Data written into what is dropped is lost. This cannot itself be undone.</p>
      </div>
    </ConfirmDialog>
  );
}
