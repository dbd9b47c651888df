import type { Settings } from "../config/settings";
import { getLogger } from "../logging/logger";
import type { BackgroundService } from "../runtime/background";
import { fireDueSchedules } from "./service";

/**
 * The schedule firer every console instance runs: every SCHEDULE_POLL_INTERVAL_MS it fires the
 * schedules that are due. Instances do not coordinate beyond the database: each firing is claimed
 * with a compare-and-set in the transaction that records its execution, so one instance wins and
 * the others find nothing to do. Ticks never overlap within a process; stopping waits for a
 * running tick.
 */
export async function startScheduleFirer(settings: Settings, opts: { intervalMs?: number } = {}): Promise<BackgroundService | null> {
  if (!settings.schedules.enabled || !settings.databaseUrl) return null;
  const intervalMs = opts.intervalMs ?? settings.schedules.pollIntervalMs;
  const log = getLogger().child({ service: "schedules" });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      await fireDueSchedules();
    } catch (error) {
      log.warn({ err: error }, "firing due schedules failed");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    name: "schedule firer",
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
