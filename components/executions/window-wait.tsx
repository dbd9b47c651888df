"use client";

import { Clock } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { isFinished, type ExecutionDetail, type ExecutionTarget } from "@/components/api/execution-types";
import { ApiError } from "@/components/api/fetch-json";
import { useOverrideMaintenanceWindow } from "@/components/api/override-maintenance-window";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { formatTime } from "./format";

const opensAtText = (iso: string | null) => (iso ? `opens at ${formatTime(iso)}` : "no opening ahead");

/** A target's wait for its maintenance window, for its row: "waiting for window, opens at …". */
export function TargetWindowWait({ target }: { target: ExecutionTarget }) {
  if (!target.waiting_for_window || target.status !== "pending") return null;
  return (
    <span className="text-sm text-muted-foreground" data-testid="target-window-wait">
      waiting for window, {opensAtText(target.waiting_for_window.opens_at)}
    </span>
  );
}

/**
 * The execution's notice while targets wait for their maintenance windows (how many, the earliest
 * opening) with an admin's override, and the override once given (who, when, why).
 */
export function WindowNotice({ execution: e }: { execution: ExecutionDetail }) {
  const w = e.maintenance_window;
  if (!w) return null;
  if (w.override) {
    return (
      <div className="flex gap-2.5 rounded-md border border-warning-border bg-warning-soft px-4 py-3 text-sm text-warning-soft-foreground">
        <Clock className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p data-testid="window-override">
          Maintenance windows overridden by {w.override.by} at {formatTime(w.override.at)}: {w.override.reason}
        </p>
      </div>
    );
  }
  if (w.waiting_targets === 0 || isFinished(e.status)) return null;
  return (
    <div className="flex flex-wrap items-start gap-2.5 rounded-md border border-info-border bg-info-soft px-4 py-3 text-sm text-info-soft-foreground">
      <Clock className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="grid min-w-0 flex-1 gap-1">
        <p className="font-medium" data-testid="window-wait">
          Waiting for window, {opensAtText(w.opens_at)}
        </p>
        <p>
          {w.waiting_targets} target{w.waiting_targets === 1 ? "" : "s"} wait{w.waiting_targets === 1 ? "s" : ""} for their
          database&apos;s maintenance window and start when it opens.
        </p>
      </div>
      <OverrideButton executionId={e.id} />
    </div>
  );
}

function OverrideButton({ executionId }: { executionId: string }) {
  const allowed = useCan("executions.overrideWindow");
  const override = useOverrideMaintenanceWindow();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  if (!allowed) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await override.mutateAsync({ id: executionId, reason: reason.trim() });
      toast.success(`${result.targets_released} target${result.targets_released === 1 ? "" : "s"} start now`);
      setOpen(false);
    } catch (e) {
      if (e instanceof ApiError) setError(e.fieldErrors.reason ?? e.body.message);
      else setError("The override was not recorded");
    }
  };

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Start now
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Start outside the maintenance window?</DialogTitle>
          <DialogDescription>
            Every target of this execution starts at once, whatever its window says. The reason is kept on the execution and in the audit log.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" aria-label="Override maintenance window">
          <Field label="Reason" required error={error}>
            {(control) => <Input {...control} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="hotfix for incident 42" autoFocus />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="outline" type="button" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={override.isPending || reason.trim().length < 3}>
              {override.isPending ? <Spinner className="text-primary-foreground" /> : null}
              Start now
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
