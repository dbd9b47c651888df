"use client";

import { FlaskConical, TriangleAlert, Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import type { ExecutionDetail } from "@/components/api/execution-types";
import { useRollbackPlan, type RollbackPlan, type RollbackSource } from "@/components/api/get-rollback-plan";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { describeExecutionError } from "./plan-changed";
import { toastExecutionStarted } from "./execution-toasts";

/** Targets listed in the plan; the rest are counted. */
const LISTED = 50;

/**
 * "Roll back…": the rollback plan from the server (per target, what is undone, newest first; what
 * would refuse it, naming the files), then Rehearse (the down parts run in a transaction that is
 * rolled back) or Roll back. Either starts an execution and opens its page. `children` go above the
 * plan (a version picker, say); `submit` starts the rollback or its rehearsal.
 *
 *   <RollbackDialog source={{ execution_id }} title="Roll back this execution?" submit={…} trigger={<Button>…</Button>} />
 */
export function RollbackDialog({
  source,
  title,
  description,
  trigger,
  submit,
  children,
  ready = true,
}: {
  source: RollbackSource;
  title: string;
  description: ReactNode;
  trigger: ReactNode;
  submit: (dryRun: boolean) => Promise<ExecutionDetail>;
  children?: ReactNode;
  /** False while the source is incomplete (no version chosen yet): no plan is asked for. */
  ready?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<"rehearse" | "rollback" | null>(null);
  const router = useRouter();
  const plan = useRollbackPlan(source, open && ready);

  const start = async (dryRun: boolean) => {
    setBusy(dryRun ? "rehearse" : "rollback");
    try {
      const started = await submit(dryRun);
      toastExecutionStarted(started.id, dryRun ? "Rehearsal of the rollback started" : started.awaiting_approval ? "Rollback waiting for approval" : "Rollback started", {
        description: dryRun ? "Nothing is changed: the down parts run in a transaction that is rolled back." : undefined,
      });
      setOpen(false);
      router.push(`/executions/${started.id}`);
    } catch (error) {
      const e = describeExecutionError(error);
      toast.error(e.title, { description: e.message });
    } finally {
      setBusy(null);
    }
  };

  const p = plan.data;
  const runnable = ready && !!p && p.can_roll_back && p.totals.migrations > 0;
  return (
    <Dialog open={open} onOpenChange={(next) => (busy ? undefined : setOpen(next))}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <div className="grid gap-4 text-sm">
          {children}
          {!ready ? null : plan.isPending ? (
            <p className="flex items-center gap-2 text-muted-foreground">
              <Spinner /> Reading what would be undone…
            </p>
          ) : plan.isError ? (
            <p role="alert" className="text-destructive-soft-foreground">
              {plan.error.message}
            </p>
          ) : p ? (
            <PlanView plan={p} />
          ) : null}
          {runnable ? (
            <p className="text-muted-foreground">
              Data written into what is dropped is lost. Rehearse first to see every down part run against the real
              targets, without keeping anything.
            </p>
          ) : null}
        </div>
        <DialogFooter>
          <Button type="button" variant="outline" onClick={() => void start(true)} disabled={!runnable || !!busy}>
            {busy === "rehearse" ? <Spinner className="text-current" /> : <FlaskConical aria-hidden />}
            Rehearse
          </Button>
          <Button type="button" variant="destructive" onClick={() => void start(false)} disabled={!runnable || !!busy}>
            {busy === "rollback" ? <Spinner className="text-current" /> : <Undo2 aria-hidden />}
            Roll back
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** The refusals first (they stop everything), then per target what is undone, in order. */
function PlanView({ plan }: { plan: RollbackPlan }) {
  const shown = plan.targets.slice(0, LISTED);
  return (
    <div className="grid gap-3">
      {plan.refusals.length ? (
        <ul role="alert" className="grid gap-1 rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-destructive-soft-foreground">
          {plan.refusals.map((r) => (
            <li key={r.code} className="flex gap-2">
              <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
              <span>{r.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        {plan.totals.migrations} migration run{plan.totals.migrations === 1 ? "" : "s"} undone on {plan.totals.targets} target
        {plan.totals.targets === 1 ? "" : "s"}, newest first
        {plan.to_version !== null ? `, back to version ${plan.to_version}` : ""}.
      </p>
      <ul className="grid max-h-72 gap-2 overflow-y-auto rounded-md border bg-muted/40 p-3" aria-label="What is undone per target">
        {shown.map((t) => (
          <li key={`${t.database_id}/${t.schema_name}`} className="grid gap-1" data-target={`${t.connection_name}/${t.schema_name}`}>
            <span className="font-mono text-xs font-medium">
              {t.connection_name}/{t.schema_name}
            </span>
            <ol className="flex flex-wrap gap-1.5 pl-3" aria-label={`Undone on ${t.schema_name}`}>
              {t.migrations.map((m) => (
                <li key={m.id} className="flex items-center gap-1">
                  <span className="rounded border bg-card px-1.5 py-0.5 font-mono text-xs">{m.id}</span>
                  {m.has_down === false ? <Badge variant="destructive">irreversible</Badge> : null}
                  {m.transactional === false ? <Badge variant="info">no transaction</Badge> : null}
                </li>
              ))}
            </ol>
          </li>
        ))}
        {plan.totals.targets > shown.length ? <li className="text-xs text-muted-foreground">…and {plan.totals.targets - shown.length} more targets</li> : null}
      </ul>
      {plan.totals.left_out ? (
        <p className="text-muted-foreground">
          Left out: {plan.left_out.slice(0, 5).map((l) => `${l.target} (${l.reason})`).join(", ")}
          {plan.totals.left_out > 5 ? ` and ${plan.totals.left_out - 5} more` : ""}.
        </p>
      ) : null}
    </div>
  );
}
