/**
 * `npm run worker`: a standalone migration worker. Run as many as you like, on any machine that
 * reaches the control-plane database (DATABASE_URL) and the fleet; they share the job queue with
 * the console and with each other. Needs the same APP_ENCRYPTION_KEY (to open the fleet's stored
 * passwords) and MIGRATIONS_DIR (the same catalog) as the console, and none of its KEYCLOAK_* or
 * AUTH_SECRET.
 *
 * SIGTERM / SIGINT stop it gracefully: no new jobs; running targets finish their current migration
 * and go back to the queue for another worker. A worker killed outright (SIGKILL, a lost machine)
 * is noticed by the others through its missing heartbeats, and its jobs are taken over.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { ignoreSessionEnvironment } from "../config/pg-environment";
import { getSettings, resetSettingsCache, setProcessRole, SettingsError } from "../config/settings";
import { getReviewPolicy, ReviewPolicyError } from "../migrations/plans/review-policy";
import { closeControlPlane } from "../db/client";
import { migrateControlPlane } from "../db/migrate";
import { stopFleetPools } from "../fleet/pool-manager";
import { getLogger } from "../logging/logger";
import { startMigrationWorker, type MigrationWorker } from "../jobs/start-worker";
import { joinLocalConsole } from "./local-secrets";

const say = (line: string) => console.log(`[worker] ${line}`);

async function main() {
  if (existsSync(path.join(process.cwd(), ".env"))) process.loadEnvFile(path.join(process.cwd(), ".env"));
  const ignored = ignoreSessionEnvironment();
  if (ignored.length > 0) say(`ignoring ${ignored.join(", ")} from the environment: database sessions are made from the worker's own settings only`);
  // In production a worker needs DATABASE_URL and APP_ENCRYPTION_KEY, not the console's OpenID and
  // session secrets.
  setProcessRole("worker");
  let settings;
  try {
    settings = getSettings();
    getReviewPolicy();
  } catch (error) {
    if (error instanceof SettingsError || error instanceof ReviewPolicyError) {
      console.error(`[worker] cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  // Next to a local console on the embedded default, join it without configuration.
  if (!settings.isProduction && !settings.databaseUrl && joinLocalConsole(path.resolve(settings.dataDir), settings.embeddedPgPort)) {
    resetSettingsCache();
    settings = getSettings();
    say(`joining the local console's embedded PostgreSQL on port ${settings.embeddedPgPort}`);
  }
  if (!settings.databaseUrl) {
    console.error("[worker] cannot start: DATABASE_URL is not set (the control-plane database the console uses)");
    process.exit(2);
  }
  if (!settings.encryption.key) {
    console.error("[worker] cannot start: APP_ENCRYPTION_KEY is not set (the key the console encrypts fleet passwords with)");
    process.exit(2);
  }

  // A worker may start before any console: bring the control-plane schema up to date (locked, idempotent).
  await migrateControlPlane(settings.databaseUrl);
  const worker: MigrationWorker = await startMigrationWorker({ kind: "standalone" });
  say(`started ${worker.id}: up to ${settings.migrations.batchSize} targets at a time, catalog ${path.resolve(settings.migrations.dir)}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: finishing running targets' current migrations, then stopping`);
    try {
      await worker.stop();
      await stopFleetPools();
      await closeControlPlane();
      say("stopped");
      process.exit(0);
    } catch (error) {
      getLogger().error({ err: error }, "worker shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  console.error(`[worker] start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
