import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedCluster } from "../server/runtime/embedded-postgres";
import { E2E_DB_PREFIX, sidePorts } from "./support/ports";

/**
 * Two consoles started at the same moment against one fresh control-plane database both come up,
 * and the control-plane schema is migrated exactly once (the second waits on the first's lock and
 * finds nothing to do). Uses TEST_DATABASE_URL's server when set, else an embedded cluster of its own.
 */
const DB = `${E2E_DB_PREFIX}_two_instances`;
const INSTANCES = [sidePorts({ port: 60, realm: 2, pg: 2 }), sidePorts({ port: 61, realm: 3, pg: 2 })];

function startConsole(databaseUrl: string, dataDir: string, ports: { port: number; realmPort: number }) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(ports.port),
    DEV_REALM_PORT: String(ports.realmPort),
    DATA_DIR: dataDir,
    ENVIRONMENT: "testing",
    DEMO_FLEET: "false",
    LOG_LEVEL: "warn",
  };
  for (const key of ["KEYCLOAK_URL", "DEMO_FLEET_PREFIX", "AUTH_URL", "KEYCLOAK_CLIENT_SECRET"]) delete env[key];
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server/runtime/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console on ${ports.port} did not become ready:\n${output}`)), 150_000);
    child.stdout?.on("data", () => {
      if (output.includes("[console] ready:")) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`console on ${ports.port} exited with ${code}:\n${output}`));
    });
  });
  return { child, ready };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.removeAllListeners("exit");
    if (child.exitCode !== null) return resolve();
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
  });

test("two consoles starting together on one new control plane both come up; the schema is migrated once", async ({ request }) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "console-two-"));
  chmodSync(dataDir, 0o755);
  let cluster: EmbeddedCluster | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    cluster = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: INSTANCES[0]!.pgPort, password: "two-instances" });
    serverUrl = cluster.url("postgres");
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${DB}" with (force)`);
  await admin.query(`create database "${DB}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${DB}`;

  const consoles = INSTANCES.map((ports, i) => startConsole(url.toString(), path.join(dataDir, `c${i}`), ports));
  try {
    const logs = await Promise.all(consoles.map((c) => c.ready));
    for (const { port } of INSTANCES) {
      const health = await request.get(`http://localhost:${port}/api/health/ready`);
      expect(health.status(), `instance on ${port} is ready`).toBe(200);
    }
    const files = readdirSync("drizzle").filter((f) => f.endsWith(".sql")).length;
    const applied = logs.map((log) => (/applied (\d+) control-plane migration/.exec(log)?.[1] ? Number(/applied (\d+) control-plane migration/.exec(log)![1]) : 0));
    expect(applied.sort()).toEqual([0, files]);
    expect(logs.filter((log) => log.includes("control-plane schema is up to date"))).toHaveLength(1);

    const cp = new pg.Client({ connectionString: url.toString() });
    await cp.connect();
    try {
      const { rows } = await cp.query("select count(*)::int as n from console.__drizzle_migrations");
      expect(rows[0].n).toBe(files);
    } finally {
      await cp.end();
    }
  } finally {
    await Promise.all(consoles.map((c) => stop(c.child)));
    await admin.query(`drop database if exists "${DB}" with (force)`);
    await admin.end();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
