import "server-only";
import { getSettings } from "../config/settings";
import { fleetHealthSummary } from "../databases/health-service";
import { describeOverlap, listTargetOverlaps } from "../databases/target-overlaps";
import { getCatalogState } from "../migrations/plans/catalog-store";
import { CONTROL_PLANE_TIMEOUT_MS, controlPlanePoolStats, controlPlaneSchemaState } from "./control-plane";
import { queueDepth } from "./queue-depth";
import { workerLiveness } from "./worker-liveness";
import type { ServiceHealth, ServiceName, ServiceStatus } from "./schemas";
import { describeFailure, withTimeout } from "./timeout";

/** Keycloak's discovery document must answer within this. */
const KEYCLOAK_TIMEOUT_MS = 3_000;
/** A job due this long ago and still not taken means no worker is taking jobs. */
export const QUEUE_STALL_SECONDS = 60;

type Finding = { status: ServiceStatus; message: string; details?: Record<string, unknown> };

/** Times a check and shapes its finding; a check that throws is unhealthy with the reason. */
async function measure(name: ServiceName, check: () => Promise<Finding>): Promise<ServiceHealth> {
  const started = performance.now();
  let finding: Finding;
  try {
    finding = await check();
  } catch (error) {
    finding = { status: "unhealthy", message: describeFailure(error) };
  }
  return {
    name,
    status: finding.status,
    is_healthy: finding.status === "healthy" || finding.status === "degraded",
    response_time_ms: Math.round(performance.now() - started),
    checked_at: new Date().toISOString(),
    message: finding.message,
    details: finding.details ?? {},
  };
}

/** The control-plane database answers and its schema is the one this build expects. */
async function controlPlane(): Promise<Finding> {
  const schema = await controlPlaneSchemaState();
  const details = { schema, pool: controlPlanePoolStats() };
  if (schema.pending > 0) {
    return { status: "degraded", message: `reachable, but ${schema.pending} control-plane migration(s) are not applied`, details };
  }
  return { status: "healthy", message: "reachable, schema up to date", details };
}

/** The realm's discovery document is served and names the issuer tokens are checked against. */
async function keycloak(): Promise<Finding> {
  const { issuer } = getSettings().keycloak;
  const url = `${issuer}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(KEYCLOAK_TIMEOUT_MS), cache: "no-store" });
  if (!response.ok) return { status: "unhealthy", message: `discovery document answered ${response.status}`, details: { issuer } };
  const document = (await response.json()) as { issuer?: unknown };
  if (document.issuer !== issuer) {
    return { status: "unhealthy", message: "discovery document names another issuer", details: { issuer, announced: document.issuer } };
  }
  return { status: "healthy", message: "realm reachable", details: { issuer } };
}

/**
 * Migration workers: at least one beats its heartbeat, and nothing due waits long. No live worker is
 * unhealthy when jobs are due (executions are stuck) and degraded otherwise (the next one would be).
 */
async function worker(): Promise<Finding> {
  const [workers, queue] = await Promise.all([workerLiveness(), queueDepth()]);
  const details = { workers, queue };
  const age = queue.oldest_ready_age_seconds ?? 0;
  if (workers.live === 0) {
    return queue.ready > 0
      ? { status: "unhealthy", message: `no live worker, ${queue.ready} job(s) due`, details }
      : { status: "degraded", message: "no live worker: an execution started now would wait", details };
  }
  if (age > QUEUE_STALL_SECONDS) {
    return {
      status: "unhealthy",
      message: `${workers.live} live worker(s), but the oldest of ${queue.ready} due job(s) has waited ${Math.round(age)} s`,
      details,
    };
  }
  return { status: "healthy", message: `${workers.live} live worker(s), ${queue.ready} job(s) due, ${queue.running} running`, details };
}

/**
 * The registered databases, as the background health rounds last found them, and targets registered
 * twice (from before the console refused that): each is a plan reading another's history.
 */
async function fleet(): Promise<Finding> {
  const [summary, overlaps] = await withTimeout(
    Promise.all([fleetHealthSummary(), listTargetOverlaps(20)]),
    CONTROL_PLANE_TIMEOUT_MS,
    "the fleet health summary",
  );
  let message =
    summary.total === 0
      ? "no active databases registered"
      : `${summary.healthy} of ${summary.total} databases healthy, ${summary.unhealthy} unhealthy, ${summary.unknown} not checked recently`;
  let status = summary.status;
  if (overlaps.total > 0) {
    message += `; ${overlaps.total} target(s) registered twice (change or remove one registration of each)`;
    if (status === "healthy" || status === "unknown") status = "degraded";
  }
  const target_overlaps = { total: overlaps.total, first: overlaps.overlaps.map(describeOverlap) };
  return { status, message, details: { ...summary, target_overlaps } };
}

/**
 * The migration catalog: every file loads (healthy), some do not (degraded: their tiers are not
 * planned, the others are), or MIGRATIONS_DIR cannot be read at all (unhealthy).
 */
async function catalog(): Promise<Finding> {
  const state = await getCatalogState();
  if (!state.catalog) {
    return { status: "unhealthy", message: `cannot be read: ${state.error?.message ?? "unknown error"}`, details: { dir: state.label, error: state.error } };
  }
  const { migrations, problems, brokenTiers } = state.catalog;
  const details = {
    dir: state.label,
    migrations: migrations.length,
    checksum: state.catalog.checksum,
    broken_tiers: [...brokenTiers],
    problems: problems.map((p) => ({ code: p.code, file: p.file, line: p.line, reason: p.reason })),
  };
  if (problems.length > 0) {
    return {
      status: "degraded",
      message: `${problems.length} file problem(s); ${[...brokenTiers].join(", ")} not planned until fixed: ${problems[0]!.message}`,
      details,
    };
  }
  return { status: "healthy", message: `${migrations.length} migration files loaded`, details };
}

const CHECKS: Record<ServiceName, () => Promise<Finding>> = {
  control_plane: controlPlane,
  keycloak,
  worker,
  fleet,
  catalog,
};

export function checkService(name: ServiceName): Promise<ServiceHealth> {
  return measure(name, CHECKS[name]);
}
