import type { Settings } from "../../config/settings";
import type { BackgroundService } from "../../lifecycle/background-service";
import { startPeriodic } from "../../lifecycle/periodic";
import { getLogger } from "../../logging/logger";
import { getCatalogState } from "./catalog-store";

/** How often the folder is looked at when nobody asks for the catalog (a stat per file). */
const WATCH_INTERVAL_MS = 5_000;

/**
 * Loads the catalog at start-up and looks at MIGRATIONS_DIR every few seconds afterwards, so a
 * broken file is in the log (and in health) when it lands, not when someone next opens a plan. The
 * store does the loading and the logging; this only makes sure it happens.
 */
export async function startCatalogWatch(_settings: Settings): Promise<BackgroundService> {
  const check = async () => {
    try {
      await getCatalogState();
    } catch (error) {
      getLogger().warn({ err: error, service: "catalog" }, "looking at the migration catalog failed");
    }
  };
  await check();
  return startPeriodic({ name: "catalog watch", intervalMs: WATCH_INTERVAL_MS, run: check });
}
