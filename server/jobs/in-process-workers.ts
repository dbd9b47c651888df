import type { Settings } from "../config/settings";
import { stopEventHub } from "../migrations/executions/event-hub";
import type { BackgroundService } from "../lifecycle/background-service";
import { ensureJobQueue } from "../queue/job-queue";
import { startMigrationWorker, type MigrationWorker } from "./start-worker";

/**
 * The console's own migration workers: WORKERS of them in the console process (0 when workers run
 * as separate `npm run worker` processes). The job queue's tables are created either way, since
 * the console adds jobs even when it runs none.
 */
export async function startInProcessWorkers(settings: Settings): Promise<BackgroundService | null> {
  if (!settings.databaseUrl) return null;
  await ensureJobQueue();
  const workers: MigrationWorker[] = [];
  for (let i = 0; i < settings.workers; i++) workers.push(await startMigrationWorker({ kind: "in-process" }));
  return {
    name: workers.length ? `migration workers (${workers.length} in process)` : "execution events",
    stop: async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await stopEventHub();
    },
  };
}
