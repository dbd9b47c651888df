"use client";

import { useId, useState, type MouseEvent, type ReactNode } from "react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "./alert-dialog";
import { Input } from "./input";
import { Label } from "./label";
import { Spinner } from "./spinner";

export interface ConfirmDialogProps {
  /** The control that opens the confirmation, rendered as is (usually a <Button>). */
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  /** What exactly will happen: the list of migrations a rollback undoes, the database to delete… */
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  destructive?: boolean;
  /** Keeps the confirm button disabled (a typed confirmation that does not match yet). */
  confirmDisabled?: boolean;
  /**
   * Runs on confirm. The dialog stays open with the button busy until the promise settles, closes on
   * success, and stays open on failure so the operator can retry or cancel (report the error yourself,
   * a toast for instance).
   */
  onConfirm: () => void | Promise<void>;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /**
   * A phrase the operator must type before the confirm button works: for going ahead against
   * advice (executing a plan whose rehearsal failed), so it is never one click away.
   */
  confirmPhrase?: string;
}

/** The one way the console asks "are you sure?" before a destructive or far-reaching action. */
export function ConfirmDialog({
  trigger,
  title,
  description,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  destructive = false,
  confirmDisabled = false,
  onConfirm,
  open: controlledOpen,
  onOpenChange,
  confirmPhrase,
}: ConfirmDialogProps) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState("");
  const phraseId = useId();
  const open = controlledOpen ?? uncontrolledOpen;
  const phraseMissing = !!confirmPhrase && typed.trim().toLowerCase() !== confirmPhrase.toLowerCase();

  function setOpen(next: boolean) {
    if (busy && !next) return;
    setUncontrolledOpen(next);
    if (!next) setTyped("");
    onOpenChange?.(next);
  }

  async function confirm(event: MouseEvent) {
    // The action would close the dialog at once; keep it open until the work is done.
    event.preventDefault();
    if (phraseMissing) return;
    setBusy(true);
    try {
      await onConfirm();
      setBusy(false);
      setUncontrolledOpen(false);
      onOpenChange?.(false);
    } catch {
      setBusy(false);
    }
  }

  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        {children ? <div className="text-sm">{children}</div> : null}
        {confirmPhrase ? (
          <div className="grid gap-1.5">
            <Label htmlFor={phraseId}>
              Type <span className="font-mono font-semibold">{confirmPhrase}</span> to confirm
            </Label>
            <Input id={phraseId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
          </div>
        ) : null}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={busy}>{cancelLabel}</AlertDialogCancel>
          <AlertDialogAction
            variant={destructive ? "destructive" : "default"}
            onClick={confirm}
            disabled={busy || confirmDisabled || phraseMissing}
            aria-busy={busy || undefined}
          >
            {busy ? <Spinner className="size-4" /> : null}
            {confirmLabel}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
