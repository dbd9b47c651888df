import type { Settings } from "../config/settings";
import { getLogger } from "../logging/logger";
import type { BackgroundService } from "../lifecycle/background-service";
import { startPeriodic } from "../lifecycle/periodic";
import { fireDueSchedules } from "./service";

/**
 * The schedule firer every console instance runs: every SCHEDULE_POLL_INTERVAL_MS it fires the
 * schedules that are due. Instances do not coordinate beyond the database: each firing is claimed
 * with a compare-and-set in the transaction that records its execution, so one instance wins and
 * the others find nothing to do.
 */
export async function startScheduleFirer(settings: Settings, opts: { intervalMs?: number } = {}): Promise<BackgroundService | null> {
  if (!settings.schedules.enabled || !settings.databaseUrl) return null;
  const log = getLogger().child({ service: "schedules" });
  return startPeriodic({
    name: "schedule firer",
    intervalMs: opts.intervalMs ?? settings.schedules.pollIntervalMs,
    run: async () => {
      try {
        await fireDueSchedules();
      } catch (error) {
        log.warn({ err: error }, "firing due schedules failed");
      }
    },
  });
}
