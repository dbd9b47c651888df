"use client";

import { useEffect } from "react";
import { toast, type ExternalToast } from "sonner";
import { isFinished, type ExecutionSummary } from "@/components/api/execution-types";

/**
 * "Rehearsal started", "Execution started": a toast that belongs to its execution, so whatever page
 * follows the execution takes it away once the execution has ended (it would otherwise linger over
 * the page, reading "started" about something already finished).
 */
const toastId = (executionId: string) => `execution-started-${executionId}`;

export function toastExecutionStarted(executionId: string, title: string, options: ExternalToast = {}) {
  toast.success(title, { ...options, id: toastId(executionId) });
}

/** Dismisses the execution's "started" toast once the execution has ended. */
export function useDismissStartedToast(execution: Pick<ExecutionSummary, "id" | "status"> | undefined) {
  const ended = !!execution && isFinished(execution.status);
  const id = execution?.id;
  useEffect(() => {
    if (ended && id) toast.dismiss(toastId(id));
  }, [ended, id]);
}
