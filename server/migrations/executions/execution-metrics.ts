import { counter, histogram } from "../../telemetry/metric-registry";

/**
 * Counters the execution engine calls as work finishes, in the process doing the work. They cover
 * what a scrape of that process can see; the cross-instance totals (executions and targets by
 * status) are read from the control plane at scrape time instead (see prometheus.ts).
 */

/** Seconds: from a 50 ms schema change to a long index build. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

const targetsFinished = () =>
  counter("console_targets_finished_total", "Targets this process finished, by final status", ["status"]);
const targetDuration = () =>
  histogram("console_target_migration_duration_seconds", "Time to migrate one target (all its pending migrations)", ["status"], DURATION_BUCKETS);
const executionsFinished = () =>
  counter("console_executions_finished_total", "Executions this process finished, by final status", ["status"]);
const executionDuration = () =>
  histogram("console_execution_duration_seconds", "Time from an execution's start to its end", ["status"], DURATION_BUCKETS);

/** A target reached a final status (succeeded, failed, skipped) after `seconds` of work. */
export function recordTargetFinished(status: string, seconds: number): void {
  targetsFinished().inc({ status });
  targetDuration().observe({ status }, Math.max(0, seconds));
}

/** An execution reached a final status (completed, failed, cancelled, rolled_back) after `seconds`. */
export function recordExecutionFinished(status: string, seconds: number): void {
  executionsFinished().inc({ status });
  executionDuration().observe({ status }, Math.max(0, seconds));
}

/** Creates the series up front so a scrape shows them (at 0) before the first execution ends. */
export function registerExecutionMetrics(): void {
  targetsFinished();
  targetDuration();
  executionsFinished();
  executionDuration();
}
