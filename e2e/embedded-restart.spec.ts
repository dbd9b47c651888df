import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";

/**
 * The zero-configuration start, for real: no DATABASE_URL, no KEYCLOAK_URL. A second console on its
 * own ports and data folder starts an embedded PostgreSQL, the development realm and the demo fleet;
 * after a restart the registry rows are still there and not duplicated. (Uses the production build
 * the suite's own console already made.)
 */
const PORT = 3150;
const REALM_PORT = 8191;
const PG_PORT = 54391;

function startConsole(dataDir: string): Promise<{ child: ChildProcess; log: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), DEV_REALM_PORT: String(REALM_PORT), EMBEDDED_PG_PORT: String(PG_PORT), DATA_DIR: dataDir, ENVIRONMENT: "development", RATE_LIMIT_ENABLED: "false" };
  for (const key of ["DATABASE_URL", "ADMIN_DATABASE_URL", "KEYCLOAK_URL", "DEMO_FLEET", "DEMO_FLEET_PREFIX", "AUTH_SECRET", "APP_ENCRYPTION_KEY", "AUTH_URL", "KEYCLOAK_CLIENT_SECRET"]) delete env[key];
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server/runtime/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not become ready:\n${output}`)), 120_000);
    child.stdout?.on("data", () => {
      if (output.includes("[console] ready:")) {
        clearTimeout(timer);
        resolve({ child, log: () => output });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited with ${code}:\n${output}`));
    });
  });
}

function stopConsole(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

async function registry(request: APIRequestContext) {
  const tokenResponse = await request.post(`http://localhost:${REALM_PORT}/realms/infrastructure/protocol/openid-connect/token`, {
    form: { grant_type: "client_credentials", client_id: "ci-readonly", client_secret: "ci-readonly-development-secret" },
  });
  const { access_token } = await tokenResponse.json();
  const headers = { authorization: `Bearer ${access_token}` };
  const databases = await (await request.get(`http://localhost:${PORT}/api/databases?limit=200`, { headers })).json();
  const tenants = await (await request.get(`http://localhost:${PORT}/api/tenants?limit=500`, { headers })).json();
  return {
    databases: (databases.items as Array<{ id: string; name: string }>).map((d) => `${d.name}:${d.id}`).sort(),
    tenants: (tenants.items as Array<{ id: string; slug: string }>).map((t) => `${t.slug}:${t.id}`).sort(),
  };
}

test("starts on an embedded PostgreSQL with no configuration and keeps its data across a restart", async ({ request }) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "console-embedded-"));
  chmodSync(dataDir, 0o755);
  try {
    const first = await startConsole(dataDir);
    expect(first.log()).toContain("initialising a new PostgreSQL cluster");
    expect(first.log()).toContain(`psql -h 127.0.0.1 -p ${PG_PORT}`);
    const health = await request.get(`http://localhost:${PORT}/api/health`);
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: "healthy", environment: "development", version: expect.any(String) });
    const before = await registry(request);
    expect(before.databases).toHaveLength(4);
    expect(before.tenants).toHaveLength(20);
    expect(await stopConsole(first.child)).toBe(0);
    expect(first.log()).toContain("[console] stopped");

    const second = await startConsole(dataDir);
    expect(second.log()).not.toContain("initialising a new PostgreSQL cluster");
    expect(second.log()).toContain("control-plane schema is up to date");
    expect(await registry(request)).toEqual(before);
    expect(await stopConsole(second.child)).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
