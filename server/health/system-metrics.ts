import "server-only";
import os from "node:os";
import { getFleetPools } from "../fleet/pool-manager";
import { getLogger } from "../logging/logger";
import { countByStatus, executionCounts } from "./execution-counts";
import { controlPlanePoolStats } from "./control-plane";
import { queueDepth } from "./queue-depth";
import type { SystemMetrics } from "./schemas";
import { describeFailure } from "./timeout";

/**
 * This process's resources and the console's workload, as JSON for people and dashboards (the
 * Prometheus form is /api/metrics). Parts read from the database are null when it cannot be read;
 * the process figures are always there.
 */
export async function systemMetrics(): Promise<SystemMetrics> {
  const [executions, queue] = await Promise.all([
    orNull("executions", async () => ({ by_status: countByStatus(await executionCounts()) })),
    orNull("queue", queueDepth),
  ]);
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const uptime = process.uptime();
  const fleet = getFleetPools().stats();
  return {
    timestamp: new Date().toISOString(),
    process: {
      pid: process.pid,
      node_version: process.version,
      uptime_seconds: Math.round(uptime),
      memory: {
        rss_bytes: memory.rss,
        heap_used_bytes: memory.heapUsed,
        heap_total_bytes: memory.heapTotal,
        external_bytes: memory.external,
      },
      cpu: {
        user_seconds: cpu.user / 1e6,
        system_seconds: cpu.system / 1e6,
        percent_since_start: uptime > 0 ? Math.round(((cpu.user + cpu.system) / 1e6 / uptime) * 1000) / 10 : 0,
        load_average: os.loadavg().map((n) => Math.round(n * 100) / 100),
        cores: os.availableParallelism(),
      },
    },
    control_plane_pool: controlPlanePoolStats(),
    fleet_pools: {
      pools: fleet.pools,
      max_pools: fleet.maxPools,
      total: fleet.total,
      idle: fleet.idle,
      active: fleet.active,
      waiting: fleet.waiting,
      evictions: fleet.evictions,
    },
    executions,
    queue,
  };
}

async function orNull<T>(what: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    getLogger().warn({ reason: describeFailure(error) }, `system metrics: ${what} unavailable`);
    return null;
  }
}
