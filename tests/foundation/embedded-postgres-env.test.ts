import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedCluster, postmasterPid, startEmbeddedPostgres } from "../../server/runtime/embedded-postgres";
import { freePort } from "../support/global-setup";

/**
 * The embedded PostgreSQL never sees the console's secrets. The console sets APP_ENCRYPTION_KEY,
 * AUTH_SECRET… in its own environment before it starts the cluster; a child inherits that unless
 * told otherwise, and any superuser session can read its server's environment (a program run by
 * COPY FROM PROGRAM inherits it). The test puts recognisable secrets into this process's
 * environment, starts a cluster, and reads the server's environment twice: from /proc as the
 * machine sees it, and from SQL as a superuser session can.
 */

const SECRETS: Record<string, string> = {
  APP_ENCRYPTION_KEY: `key-${randomBytes(16).toString("hex")}`,
  APP_ENCRYPTION_KEYS_PREVIOUS: `old-${randomBytes(16).toString("hex")}`,
  AUTH_SECRET: `auth-${randomBytes(16).toString("hex")}`,
  KEYCLOAK_CLIENT_SECRET: `kc-${randomBytes(16).toString("hex")}`,
  METRICS_TOKEN: `metrics-${randomBytes(16).toString("hex")}`,
  DATABASE_URL: `postgres://console:db-${randomBytes(8).toString("hex")}@db.internal/admin`,
  ADMIN_DATABASE_URL: `postgres://console:adm-${randomBytes(8).toString("hex")}@db.internal/admin`,
  PGPASSWORD: `pg-${randomBytes(8).toString("hex")}`,
};

let dir: string;
let cluster: EmbeddedCluster;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const [name, value] of Object.entries(SECRETS)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  dir = mkdtempSync(path.join(os.tmpdir(), "embedded-env-"));
  chmodSync(dir, 0o755);
  cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(12).toString("base64url") });
});

afterAll(async () => {
  await cluster?.stop();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectNoSecret(entries: string[]) {
  const environ = entries.join("\n");
  const names = entries.filter(Boolean).map((entry) => entry.slice(0, entry.indexOf("=")));
  expect(names.length).toBeGreaterThan(0);
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(names, `${name} reached PostgreSQL`).not.toContain(name);
    expect(environ.includes(value), `the value of ${name} reached PostgreSQL`).toBe(false);
  }
  // Only what the server needs (PATH, locale, time zone), and what PostgreSQL itself sets.
  for (const name of names) expect(name).toMatch(/^(PATH|TMPDIR|TZ|LANG|LANGUAGE|LC_[A-Z]+|PG_[A-Z_]+|PGDATA|PGLOCALEDIR|PGSYSCONFDIR|PWD|SHLVL|_)$/);
}

describe("the embedded PostgreSQL's environment", () => {
  it.runIf(process.platform === "linux")("holds none of the console's secrets (/proc/<postmaster>/environ)", () => {
    const pid = postmasterPid(cluster.dataDir);
    expect(pid).not.toBeNull();
    expectNoSecret(readFileSync(`/proc/${pid}/environ`, "latin1").split("\0"));
  });

  it.runIf(process.platform === "linux")("holds none of them as a superuser session can read it (COPY FROM PROGRAM 'env')", async () => {
    const client = new pg.Client({ connectionString: cluster.url() });
    await client.connect();
    try {
      await client.query("create temporary table environ (entry text); copy environ from program 'env'");
      const { rows } = await client.query<{ entry: string }>("select entry from environ");
      expectNoSecret(rows.map((r) => r.entry));
    } finally {
      await client.end();
    }
  });
});
