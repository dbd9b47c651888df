/**
 * Starts the real console for the browser tests: a fresh control-plane database and demo fleet
 * (on TEST_DATABASE_URL's server when set, otherwise an embedded PostgreSQL in a fresh folder), the
 * development realm, the worker and the production build. Playwright's webServer runs this.
 */
import { mkdtempSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { E2E, E2E_DB_PREFIX } from "./ports";

async function prepare() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "console-e2e-"));
  chmodSync(dataDir, 0o755);
  Object.assign(process.env, {
    ENVIRONMENT: "testing",
    PORT: String(E2E.port),
    DEV_REALM_PORT: String(E2E.realmPort),
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(E2E.embeddedPgPort),
    // The production default (60 a minute for API callers): the console's own pages count in a
    // budget of their own and must never meet it, whatever a spec does.
    RATE_LIMIT_ENABLED: "true",
    DEMO_FLEET: "true",
    DEMO_FLEET_PREFIX: E2E_DB_PREFIX,
    HEALTH_CHECK_INTERVAL: "5",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      for (const db of ["admin", "shared_eu_west_1", "shared_us_east_1", "analytics"]) {
        await admin.query(`drop database if exists "${E2E_DB_PREFIX}_${db}" with (force)`);
      }
      await admin.query(`create database "${E2E_DB_PREFIX}_admin"`);
    } finally {
      await admin.end();
    }
    const url = new URL(server);
    url.pathname = `/${E2E_DB_PREFIX}_admin`;
    process.env.DATABASE_URL = url.toString();
  }
}

await prepare();
await import("../../server/runtime/main");
