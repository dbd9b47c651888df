import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { clientToken, startLocalConsole, stopProcess } from "./support/local-console";
import { sidePorts } from "./support/ports";

/**
 * The zero-configuration start, for real: no DATABASE_URL, no KEYCLOAK_URL. A second console on its
 * own ports and data folder starts an embedded PostgreSQL, the development realm and the demo fleet;
 * after a restart the registry rows are still there and not duplicated. (Uses the production build
 * the suite's own console already made.)
 */
const PORTS = sidePorts({ port: 50, realm: 1, pg: 1 });
const { port: PORT, pgPort: PG_PORT } = PORTS;

async function registry(request: APIRequestContext) {
  const headers = { authorization: `Bearer ${await clientToken(PORTS.realmPort, "ci-readonly")}` };
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
    const first = await startLocalConsole(PORTS, dataDir);
    expect(first.log()).toContain("initialising a new PostgreSQL cluster");
    expect(first.log()).toContain(`psql -h 127.0.0.1 -p ${PG_PORT}`);
    const health = await request.get(`http://localhost:${PORT}/api/health`);
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: "healthy", environment: "development", version: expect.any(String) });
    const before = await registry(request);
    expect(before.databases).toHaveLength(4);
    expect(before.tenants).toHaveLength(20);
    expect(await stopProcess(first.child)).toBe(0);
    expect(first.log()).toContain("[console] stopped");

    const second = await startLocalConsole(PORTS, dataDir);
    expect(second.log()).not.toContain("initialising a new PostgreSQL cluster");
    expect(second.log()).toContain("control-plane schema is up to date");
    expect(await registry(request)).toEqual(before);
    expect(await stopProcess(second.child)).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
