/**
 * Starts the real console for the browser tests: a fresh control-plane database and demo fleet
 * (on TEST_DATABASE_URL's server when set, otherwise an embedded PostgreSQL in a fresh folder), the
 * development realm, the worker and the production build. Playwright's webServer runs this.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { E2E, E2E_DB_PREFIX } from "./ports";

/**
 * The console's data folder (its secrets and, without TEST_DATABASE_URL, its embedded PostgreSQL:
 * about 80 MB) is named after the suite's port and removed when the console exits. A folder left by
 * a run on the same port that was killed outright is removed at the next start: no other suite
 * uses this port, so no running console owns it.
 */
const DATA_DIR_PREFIX = `console-e2e-${E2E.port}-`;

function removeLeftovers() {
  for (const entry of readdirSync(os.tmpdir())) {
    if (entry.startsWith(DATA_DIR_PREFIX)) rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

async function prepare() {
  removeLeftovers();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), DATA_DIR_PREFIX));
  chmodSync(dataDir, 0o755);
  // main.ts stops everything (the embedded PostgreSQL too) before it exits on SIGTERM.
  process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
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
