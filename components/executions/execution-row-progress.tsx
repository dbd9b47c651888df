"use client";

import type { ExecutionSummary } from "@/components/api/execution-types";
import { isFinished } from "@/components/api/execution-types";
import { useExecution } from "@/components/api/get-execution";
import { useExecutionEvents } from "@/components/api/use-execution-events";
import { Progress } from "@/components/ui/progress";
import { progressTone } from "./format";

/** A compact progress bar for a list row: counts in words, and the bar. */
export function ProgressCell({ summary }: { summary: ExecutionSummary }) {
  const p = summary.progress;
  const finished = p.completed_targets + p.failed_targets + p.skipped_targets;
  const words = `${p.completed_targets} of ${p.total_targets}${p.failed_targets ? `, ${p.failed_targets} failed` : ""}${p.skipped_targets ? `, ${p.skipped_targets} skipped` : ""}`;
  return (
    <div className="grid min-w-28 gap-1">
      <Progress
        label={`Progress of ${summary.id.slice(0, 8)}`}
        hideLabel
        value={p.total_targets ? finished : null}
        max={Math.max(p.total_targets, 1)}
        valueLabel={words}
        tone={progressTone(p, summary.status)}
      />
      <span className="text-xs text-muted-foreground tabular-nums" aria-hidden>
        {words}
      </span>
    </div>
  );
}

/**
 * The same cell for an execution still running: it follows the execution's event stream, so the
 * list moves without polling and refreshes itself once the execution ends.
 */
export function LiveProgressCell({ summary }: { summary: ExecutionSummary }) {
  const detail = useExecution(summary.id);
  const current = detail.data ?? summary;
  useExecutionEvents(summary.id, !isFinished(current.status));
  return <ProgressCell summary={current} />;
}
