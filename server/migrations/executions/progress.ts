/**
 * An execution's progress as the API and the event stream show it (the original
 * MigrationProgress), and the estimate of when it ends. Pure functions.
 */

export interface ProgressCounters {
  totalTargets: number;
  completedTargets: number;
  failedTargets: number;
  skippedTargets: number;
  currentTarget: string | null;
  estimatedCompletion: Date | null;
}

export interface ExecutionProgress {
  total_targets: number;
  /** Targets that succeeded. */
  completed_targets: number;
  failed_targets: number;
  skipped_targets: number;
  /** Targets not finished yet (queued, waiting, retrying or running). */
  remaining_targets: number;
  /** The target that started most recently ("<connection>/<schema>"), null when none runs. */
  current_target: string | null;
  estimated_completion: string | null;
  /** Finished targets (succeeded, failed or skipped) out of all, 0–100. */
  completion_percentage: number;
}

export function progressView(c: ProgressCounters): ExecutionProgress {
  const done = c.completedTargets + c.failedTargets + c.skippedTargets;
  return {
    total_targets: c.totalTargets,
    completed_targets: c.completedTargets,
    failed_targets: c.failedTargets,
    skipped_targets: c.skippedTargets,
    remaining_targets: Math.max(0, c.totalTargets - done),
    current_target: c.currentTarget,
    estimated_completion: c.estimatedCompletion?.toISOString() ?? null,
    completion_percentage: c.totalTargets === 0 ? 100 : Math.round((done / c.totalTargets) * 1000) / 10,
  };
}

/**
 * When the remaining targets should be done at the throughput so far (finished targets per
 * millisecond since the execution started). Null before the first target finishes, or once none
 * remain.
 */
export function estimateCompletion(input: { startedAt: Date | null; now: Date; done: number; total: number }): Date | null {
  const { startedAt, now, done, total } = input;
  if (!startedAt || done <= 0 || done >= total) return null;
  const elapsed = Math.max(1, now.getTime() - startedAt.getTime());
  const perTarget = elapsed / done;
  return new Date(now.getTime() + Math.round(perTarget * (total - done)));
}
