"use client";

import { isFinished, type ExecutionDetail } from "@/components/api/execution-types";
import type { StreamState } from "@/components/api/use-execution-events";
import { Stat } from "@/components/plan/stat";
import { Progress, type ProgressTone } from "@/components/ui/progress";
import { formatDuration, formatRate, formatRelative, throughputPerMinute } from "./format";
import { StreamIndicator } from "./stream-indicator";
import { useNow } from "./use-now";

/** The bar, the counts, throughput and ETA of an execution, kept current by the event stream. */
export function ExecutionProgress({ execution: e, stream }: { execution: ExecutionDetail; stream: StreamState }) {
  const ended = isFinished(e.status);
  const now = useNow(!ended && e.status === "in_progress");
  const p = e.progress;
  const finished = p.completed_targets + p.failed_targets + p.skipped_targets;
  const rate = throughputPerMinute(finished, e.started_at, e.completed_at, now);
  const tone: ProgressTone = p.failed_targets ? "warning" : ended && e.status === "completed" ? "success" : "default";
  const rehearsal = e.kind === "rehearsal";
  const eta = ended ? null : (p.estimated_completion ?? estimate(rate, p.remaining_targets, now));
  const elapsed = e.started_at ? (e.completed_at ? Date.parse(e.completed_at) : now) - Date.parse(e.started_at) : null;

  return (
    <section aria-label="Progress" className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-base font-semibold">Progress</h2>
        <StreamIndicator state={ended ? "ended" : stream} />
      </div>
      <Progress
        label={rehearsal ? "Targets rehearsed" : "Targets finished"}
        value={p.total_targets === 0 ? null : finished}
        max={Math.max(p.total_targets, 1)}
        valueLabel={`${finished} of ${p.total_targets} targets (${p.completion_percentage}%)`}
        tone={tone}
        data-testid="execution-progress"
      />
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-8" data-testid="execution-counts">
        <Stat label={rehearsal ? "Would apply" : "Succeeded"} value={p.completed_targets} tone={p.completed_targets ? "success" : "muted"} />
        <Stat label={rehearsal ? "Would fail" : "Failed"} value={p.failed_targets} tone={p.failed_targets ? "destructive" : "muted"} />
        <Stat label="Skipped" value={p.skipped_targets} tone="muted" />
        <Stat label="Remaining" value={p.remaining_targets} tone={p.remaining_targets ? "info" : "muted"} />
        <Stat label="Total" value={p.total_targets} />
        <Stat label="Throughput" value={<span className="text-base">{formatRate(rate)}</span>} />
        <Stat label="Elapsed" value={<span className="text-base">{formatDuration(elapsed)}</span>} />
        <Stat
          label="ETA"
          value={<span className="text-base">{ended ? "done" : eta ? formatRelative(eta, now) : "—"}</span>}
          hint={eta && !ended ? new Date(eta).toLocaleTimeString() : undefined}
        />
      </dl>
      {p.current_target && !ended ? (
        <p className="text-sm text-muted-foreground">
          Latest started: <span className="font-mono text-foreground">{p.current_target}</span>
        </p>
      ) : null}
    </section>
  );
}

function estimate(ratePerMinute: number | null, remaining: number, now: number): string | null {
  if (!ratePerMinute || remaining <= 0) return null;
  return new Date(now + (remaining / ratePerMinute) * 60_000).toISOString();
}
