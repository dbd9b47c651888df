import "server-only";
import { getSettings } from "../config/settings";
import { fleetHealthSummary } from "../databases/health-service";
import { getFleetPools } from "../fleet/pool-manager";
import { registerRequestMetrics } from "../telemetry/request-metrics";
import { controlPlanePoolStats } from "../health/control-plane";
import { queueDepth } from "../health/queue-depth";
import { describeFailure } from "../health/timeout";
import { getLogger } from "../logging/logger";
import { executionCounts } from "../health/execution-counts";
import { registerExecutionMetrics } from "../migrations/executions/execution-metrics";
import { ensureDefaultMetrics, gauge, register } from "../telemetry/metric-registry";

/**
 * The Prometheus scrape. Figures that live in the control plane (executions and targets by status,
 * the job queue, fleet health) are read from it at scrape time: a handful of aggregate queries on
 * small tables, cheaper than counting in every process, and the same answer from every instance.
 * Pool usage is this process's own. If the database cannot be read, `console_control_plane_up` is 0
 * and the database-derived series are left out rather than reported stale.
 */

const controlPlaneUp = () => gauge("console_control_plane_up", "1 when this scrape could read the control-plane database");
const executions = () => gauge("console_executions", "Executions by kind and current status", ["kind", "status"]);
const executionTargets = () =>
  gauge("console_execution_targets", "Targets of all executions by kind and result (succeeded = migrated)", ["kind", "result"]);
const queueJobs = () => gauge("console_queue_jobs", "Jobs in the queue by state (ready = due and waiting for a worker)", ["state"]);
const queueOldest = () => gauge("console_queue_oldest_ready_age_seconds", "Age of the oldest job due and not yet taken");
const fleetDatabases = () => gauge("console_fleet_databases", "Active registered databases by last known health", ["status"]);
const controlPlanePool = () => gauge("console_control_plane_pool_sessions", "Control-plane pool sessions of this process", ["state"]);
const fleetPool = () => gauge("console_fleet_pool_sessions", "Fleet database sessions of this process", ["state"]);
const fleetPools = () => gauge("console_fleet_pools", "Fleet connection pools open in this process");

const DB_SERIES = [executions, executionTargets, queueJobs, queueOldest, fleetDatabases];

async function readDatabaseFigures(): Promise<void> {
  const [counts, queue, fleet] = await Promise.all([executionCounts(), queueDepth(), fleetHealthSummary()]);
  executions().reset();
  executionTargets().reset();
  for (const row of counts) {
    executions().inc({ kind: row.kind, status: row.status }, row.executions);
    executionTargets().inc({ kind: row.kind, result: "succeeded" }, row.succeeded_targets);
    executionTargets().inc({ kind: row.kind, result: "failed" }, row.failed_targets);
    executionTargets().inc({ kind: row.kind, result: "skipped" }, row.skipped_targets);
  }
  for (const state of ["ready", "scheduled", "running", "failed"] as const) queueJobs().set({ state }, queue[state]);
  queueOldest().set(queue.oldest_ready_age_seconds ?? 0);
  for (const status of ["healthy", "unhealthy", "unknown"] as const) fleetDatabases().set({ status }, fleet[status]);
}

function readProcessFigures() {
  const cp = controlPlanePoolStats();
  if (cp) for (const state of ["total", "idle", "waiting", "max"] as const) controlPlanePool().set({ state }, cp[state]);
  const fleet = getFleetPools().stats();
  for (const state of ["total", "idle", "active", "waiting"] as const) fleetPool().set({ state }, fleet[state]);
  fleetPools().set(fleet.pools);
}

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ contentType: string; text: string }> {
  ensureDefaultMetrics();
  registerRequestMetrics();
  registerExecutionMetrics();
  let up = 0;
  if (getSettings().databaseUrl) {
    try {
      await readDatabaseFigures();
      up = 1;
    } catch (error) {
      getLogger().warn({ reason: describeFailure(error) }, "metrics: control-plane figures unavailable");
      for (const series of DB_SERIES) series().reset();
    }
  }
  controlPlaneUp().set(up);
  readProcessFigures();
  return { contentType: register.contentType, text: await register.metrics() };
}
