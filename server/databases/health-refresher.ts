import type { Settings } from "../config/settings";
import { stopFleetPools } from "../fleet/pool-manager";
import { getLogger } from "../logging/logger";
import type { BackgroundService } from "../lifecycle/background-service";
import { startPeriodic } from "../lifecycle/periodic";
import { refreshFleetHealth } from "./health-service";

export interface HealthRefresherOptions {
  intervalMs?: number;
  /** Delay before the first round (a fresh console shows health within seconds). */
  firstRoundAfterMs?: number;
}

/**
 * Background health rounds every HEALTH_CHECK_INTERVAL seconds. Rounds never overlap in one process
 * (the next is scheduled when one ends) and are coordinated across processes by refreshFleetHealth.
 * Stopping waits for a running round, then closes the fleet pools this process opened.
 */
export async function startHealthRefresher(
  settings: Settings,
  opts: HealthRefresherOptions = {},
): Promise<BackgroundService | null> {
  if (!settings.healthCheck.enabled || !settings.databaseUrl) return null;
  const log = getLogger().child({ service: "health" });
  const intervalMs = opts.intervalMs ?? settings.healthCheckIntervalSeconds * 1000;
  return startPeriodic({
    name: "connection health refresher",
    intervalMs,
    firstRunAfterMs: opts.firstRoundAfterMs ?? Math.min(2_000, intervalMs),
    run: async () => {
      try {
        const r = await refreshFleetHealth();
        if (r.ran && r.unhealthy > 0) log.warn({ ...r }, "health round: some databases are unhealthy");
        else if (r.ran) log.debug({ ...r }, "health round");
      } catch (error) {
        log.warn({ err: error }, "health round failed");
      }
    },
    // The fleet pools this process opened close once no round can use them any more.
    afterStop: stopFleetPools,
  });
}
