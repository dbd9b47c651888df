import type { Settings } from "../config/settings";
import type { BackgroundService } from "../lifecycle/background-service";
import { startHealthRefresher } from "../databases/health-refresher";
import { startInProcessWorkers } from "../jobs/in-process-workers";
import { startCatalogWatch } from "../migrations/plans/catalog-watch";
import { startRetention } from "../retention/retention-job";
import { startScheduleFirer } from "../schedules/firer";

type Starter = (settings: Settings) => Promise<BackgroundService | null>;

/**
 * Long-running work the console process hosts besides the web server: the catalog watch (which
 * loads and logs the catalog at start-up), the migration worker, the connection health refresher,
 * the schedule firer, retention. Each feature adds its starter here.
 */
const starters: Starter[] = [startCatalogWatch, startHealthRefresher, startInProcessWorkers, startScheduleFirer, startRetention];

export async function startBackgroundServices(settings: Settings): Promise<BackgroundService[]> {
  const started: BackgroundService[] = [];
  for (const start of starters) {
    const service = await start(settings);
    if (service) started.push(service);
  }
  return started;
}
