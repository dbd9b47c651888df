"use client";

import { isFinished, type ExecutionDetail } from "@/components/api/execution-types";
import type { StreamState } from "@/components/api/use-execution-events";
import { Stat } from "@/components/plan/stat";
import { Progress, type ProgressTone } from "@/components/ui/progress";
import { formatDuration, formatRate, formatRelative, progressTone, throughputPerMinute } from "./format";
import { StreamIndicator } from "./stream-indicator";
import { useNow } from "./use-now";

/** The bar, the counts, throughput and ETA of an execution, kept current by the event stream. */
export function ExecutionProgress({ execution: e, stream }: { execution: ExecutionDetail; stream: StreamState }) {
  const ended = isFinished(e.status);
  const now = useNow(!ended && e.status === "in_progress");
  const p = e.progress;
  const finished = p.completed_targets + p.failed_targets + p.skipped_targets;
  const rate = throughputPerMinute(finished, e.started_at, e.completed_at, now);
  const tone: ProgressTone = progressTone(p, e.status);
  const rehearsal = e.kind === "rehearsal";
  const eta = ended ? null : (p.estimated_completion ?? estimate(rate, p.remaining_targets, now));
  // Targets settled without running (blocked ones, recorded as failed at creation) took no time:
  // such a run shows no elapsed time and no rate rather than "0 ms" and thousands per second.
  const ran = e.targets.some((t) => t.attempts > 0);
  const elapsed = e.started_at && (ran || !ended) ? (e.completed_at ? Date.parse(e.completed_at) : now) - Date.parse(e.started_at) : null;

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
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4" data-testid="execution-counts">
        <Stat label={rehearsal ? "Would apply" : "Succeeded"} value={p.completed_targets} tone={p.completed_targets ? "success" : "muted"} />
        <Stat label={rehearsal ? "Would fail" : "Failed"} value={p.failed_targets} tone={p.failed_targets ? "destructive" : "muted"} />
        <Stat label="Skipped" value={p.skipped_targets} tone="muted" />
        <Stat label="Remaining" value={p.remaining_targets} tone={p.remaining_targets ? "info" : "muted"} />
        <Stat label="Total" value={p.total_targets} />
        <Stat
          label="Throughput"
          value={<span className="text-base whitespace-nowrap">{formatRate(ran ? rate : null)}</span>}
          hint={rate === null && ended && finished > 0 ? (ran ? "too short to measure" : "no target ran") : undefined}
        />
        <Stat
          label="Elapsed"
          value={<span className="text-base whitespace-nowrap">{elapsed !== null && elapsed < 1 ? "under 1 ms" : formatDuration(elapsed)}</span>}
        />
        <Stat
          label="ETA"
          value={<span className="text-base whitespace-nowrap">{ended ? "done" : eta ? formatRelative(eta, now) : "—"}</span>}
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
