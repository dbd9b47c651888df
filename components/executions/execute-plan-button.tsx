"use client";

import { Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useExecuteMigrations } from "@/components/api/execute-migrations";
import type { ExecutionProgress } from "@/components/api/execution-types";
import { describeScope, type ScopeRequest } from "@/components/api/scope-request";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeExecutionError } from "./plan-changed";

/**
 * "Approve and execute": runs the scope pinned to the fingerprint the operator reviewed (and
 * rehearsed), after a confirmation that says what will happen. Rendered only for migrations:execute.
 */
export function ExecutePlanButton({
  scope,
  fingerprint,
  rehearsal,
  targets,
  migrations,
  variant = "default",
}: {
  scope: ScopeRequest;
  fingerprint: string;
  /** The rehearsal's outcome, when there was one for this fingerprint. */
  rehearsal?: ExecutionProgress | null;
  targets?: number;
  migrations?: number;
  variant?: "default" | "outline";
}) {
  const allowed = useCan("executions.run");
  const router = useRouter();
  const execute = useExecuteMigrations();
  if (!allowed) return null;

  const run = async () => {
    try {
      const execution = await execute.mutateAsync({ ...scope, dry_run: false, plan_fingerprint: fingerprint });
      toast.success(
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

  return (
    <ConfirmDialog
      trigger={
        <Button variant={variant}>
          <Play aria-hidden />
          Approve and execute
        </Button>
      }
      title="Execute this plan?"
      description={`${describeScope(scope)}: the pending migrations are applied for real, target by target.`}
      confirmLabel="Execute"
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
          rehearsal.failed_targets ? (
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
    </ConfirmDialog>
  );
}
