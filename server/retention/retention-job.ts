import type { Settings } from "../config/settings";
import { getPool } from "../db/client";
import { getLogger } from "../logging/logger";
import type { BackgroundService } from "../lifecycle/background-service";
import { startPeriodic } from "../lifecycle/periodic";
import { pruneControlPlane } from "./prune";

/** Prunes old execution events, ended webhook deliveries, audit rows past AUDIT_RETENTION_DAYS and dead queue rows every RETENTION_INTERVAL_SECONDS. */
export async function startRetention(settings: Settings): Promise<BackgroundService | null> {
  if (!settings.databaseUrl) return null;
  const log = getLogger().child({ service: "retention" });
  return startPeriodic({
    name: "retention",
    intervalMs: settings.retention.intervalSeconds * 1000,
    firstRunAfterMs: 60_000,
    run: async () => {
      try {
        const result = await pruneControlPlane(getPool(), {
          eventsDays: settings.retention.executionEventsDays,
          auditDays: settings.retention.auditDays,
        });
        if (result.executionEvents > 0 || result.auditRows > 0 || result.webhookDeliveries > 0 || result.storedHistories > 0) {
          log.info({ ...result }, "pruned old execution events, webhook deliveries, audit rows and stored histories of unregistered schemas");
        }
      } catch (error) {
        log.warn({ err: error }, "retention round failed");
      }
    },
  });
}
