import { getSettings } from "../config/settings";
import { getDb, getPool } from "../db/client";
import { TIERS, type Tier } from "../domain/fleet";
import { FleetPoolTimeoutError } from "../fleet/pool-manager";
import { probePooled, type ProbeResult } from "../fleet/probe";
import { AppError, notFound } from "../errors/app-error";
import { getLogger } from "../logging/logger";
import * as repo from "./repository";
import type { ConnectionHealth } from "./schemas";
import { resolveRow } from "./resolve";

/**
 * Health of the fleet, measured, not assumed: each live, active connection is probed (connect +
 * `server_version`) on HEALTH_CHECK_INTERVAL, the result lands on the connection row and in a
 * history table. A recorded state older than STALE_INTERVALS intervals counts as unknown: a
 * console that stopped probing must not keep reporting "healthy".
 */

const STALE_INTERVALS = 3;

export async function recordProbe(connectionId: string, probe: ProbeResult): Promise<void> {
  await repo.recordHealthObservation(
    getDb(),
    connectionId,
    {
      checkedAt: probe.checkedAt,
      isHealthy: probe.success,
      responseTimeMs: probe.latencyMs,
      serverVersion: probe.serverVersion,
      error: probe.error ? formatError(probe.error.code, probe.error.message) : null,
    },
    getSettings().healthCheck.historyDays,
  );
}

const formatError = (code: string | null, message: string) => (code ? `${code}: ${message}` : message);

function staleBefore(now = Date.now()): Date {
  return new Date(now - STALE_INTERVALS * getSettings().healthCheckIntervalSeconds * 1000);
}

export async function getConnectionHealth(id: string, historyLimit: number): Promise<ConnectionHealth> {
  const db = getDb();
  const row = await repo.findLiveConnection(db, id);
  if (!row) throw notFound("connection", id);
  const history = await repo.listHealthHistory(db, id, historyLimit);
  const fresh = row.lastHealthCheck !== null && row.lastHealthCheck >= staleBefore();
  return {
    connection_id: row.id,
    name: row.name,
    status: row.isHealthy === null || !fresh ? "unknown" : row.isHealthy ? "healthy" : "unhealthy",
    is_healthy: row.isHealthy,
    response_time_ms: row.responseTimeMs,
    server_version: row.serverVersion,
    last_health_check: row.lastHealthCheck?.toISOString() ?? null,
    health_error: row.healthError,
    history: history.map((h) => ({
      checked_at: h.checkedAt.toISOString(),
      is_healthy: h.isHealthy,
      response_time_ms: h.responseTimeMs,
      server_version: h.serverVersion,
      error: h.error,
    })),
  };
}

export interface HealthCounts {
  total: number;
  healthy: number;
  unhealthy: number;
  unknown: number;
}

export interface FleetHealthSummary extends HealthCounts {
  status: "healthy" | "degraded" | "unhealthy" | "unknown";
  by_tier: Record<Tier, HealthCounts>;
  last_check: string | null;
  interval_seconds: number;
}

/**
 * Totals of live, active connections by tier (for the detailed health endpoint and the overview).
 * `status`: unhealthy when the admin database is down or nothing is healthy, degraded when anything
 * is unhealthy or unknown, unknown for an empty fleet.
 */
export async function fleetHealthSummary(): Promise<FleetHealthSummary> {
  const rows = await repo.healthCountsByTier(getDb(), staleBefore());
  const empty = (): HealthCounts => ({ total: 0, healthy: 0, unhealthy: 0, unknown: 0 });
  const byTier = Object.fromEntries(TIERS.map((t) => [t, empty()])) as Record<Tier, HealthCounts>;
  const totals = empty();
  let lastCheck: Date | null = null;
  for (const r of rows) {
    byTier[r.tier] = { total: r.total, healthy: r.healthy, unhealthy: r.unhealthy, unknown: r.unknown };
    for (const k of ["total", "healthy", "unhealthy", "unknown"] as const) totals[k] += r[k];
    if (r.lastCheck && (!lastCheck || r.lastCheck > lastCheck)) lastCheck = r.lastCheck;
  }
  const status =
    totals.total === 0
      ? "unknown"
      : byTier.admin.unhealthy > 0 || totals.healthy === 0
        ? "unhealthy"
        : totals.unhealthy + totals.unknown > 0
          ? "degraded"
          : "healthy";
  return {
    status,
    ...totals,
    by_tier: byTier,
    last_check: lastCheck?.toISOString() ?? null,
    interval_seconds: getSettings().healthCheckIntervalSeconds,
  };
}

export interface HealthRoundResult {
  /** False when another console instance was running a round: this one did nothing. */
  ran: boolean;
  probed: number;
  healthy: number;
  unhealthy: number;
  skipped: number;
}

/**
 * One health round: probes every live, active connection not probed within half an interval, at
 * most `concurrency` at a time. Cheap to call from several instances: a session advisory lock lets
 * one instance run the round, and the half-interval filter keeps instances whose timers interleave
 * from probing the same databases twice.
 */
export async function refreshFleetHealth(opts: { concurrency?: number; force?: boolean } = {}): Promise<HealthRoundResult> {
  const settings = getSettings();
  const result: HealthRoundResult = { ran: false, probed: 0, healthy: 0, unhealthy: 0, skipped: 0 };
  const lockClient = await getPool().connect();
  try {
    if (!(await repo.tryHealthRoundLock(lockClient))) return result;
    try {
      result.ran = true;
      const due = await repo.listDueForHealthCheck(
        getDb(),
        opts.force ? new Date(Date.now() + 60_000) : new Date(Date.now() - (settings.healthCheckIntervalSeconds * 1000) / 2),
      );
      await forEachLimited(due, opts.concurrency ?? settings.healthCheck.concurrency, async (row) => {
        const probe = await probeRow(row);
        if (!probe) {
          result.skipped += 1;
          return;
        }
        try {
          await recordProbe(row.id, probe);
        } catch (error) {
          // One failed write (control plane hiccup) must not abandon the rest of the round.
          getLogger().warn({ connection: row.name, err: error }, "health: recording a probe failed");
          result.skipped += 1;
          return;
        }
        result.probed += 1;
        result[probe.success ? "healthy" : "unhealthy"] += 1;
      });
    } finally {
      await repo.releaseHealthRoundLock(lockClient);
    }
  } finally {
    lockClient.release();
  }
  return result;
}

/** A probe result, or null when the pool was too busy to say anything about health. */
async function probeRow(row: repo.ConnectionRow): Promise<ProbeResult | null> {
  try {
    return await probePooled(resolveRow(row));
  } catch (error) {
    if (error instanceof FleetPoolTimeoutError) return null;
    // Refused by the host guard or an unreadable password: no traffic was sent, and the
    // connection cannot be used, which is what unhealthy means here.
    const message = error instanceof AppError ? error.message : "probe failed";
    const code = error instanceof AppError ? error.code : null;
    return { success: false, serverVersion: null, latencyMs: 0, error: { code, message }, checkedAt: new Date() };
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
