import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../server/runtime/embedded-postgres";
import { freePort } from "../support/global-setup";
import { testServerUrl } from "../support/database";

/**
 * A PostgreSQL server that really checks passwords, with a login role made for the test.
 *
 * The embedded cluster the suite starts uses scram-sha-256, so a wrong password is refused there.
 * The machine's PostgreSQL 15 trusts every local connection (pg_hba `trust`): any password gets
 * in, and a "wrong password" test against it would prove nothing. So: create the role on the test
 * server, try a wrong password, and when it is let in, start a scram cluster of our own instead.
 */
export interface PasswordServer {
  host: string;
  port: number;
  database: string;
  role: string;
  password: string;
  /** Whether this is a cluster started for the test (the test server trusts everyone). */
  ownCluster: boolean;
  /** Superuser URL of `database` on this server. */
  adminUrl: string;
  stop: () => Promise<void>;
}

export async function startPasswordServer(): Promise<PasswordServer> {
  const role = `reg_login_${randomBytes(4).toString("hex")}`;
  const password = `Pw-${randomBytes(12).toString("base64url")}-secret`;
  const shared = testServerUrl("postgres");
  await createRole(shared, role, password);
  const url = new URL(shared);
  const host = url.hostname;
  const port = Number(url.port || 5432);
  if (await refusesWrongPassword(host, port, role)) {
    return {
      host,
      port,
      database: "postgres",
      role,
      password,
      ownCluster: false,
      adminUrl: shared,
      stop: () => dropRole(shared, role),
    };
  }
  await dropRole(shared, role);

  const dir = mkdtempSync(path.join(os.tmpdir(), "registry-scram-"));
  chmodSync(dir, 0o755);
  const ownPort = await freePort();
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: ownPort,
    password: randomBytes(12).toString("base64url"),
  });
  const adminUrl = cluster.url("postgres");
  await createRole(adminUrl, role, password);
  if (!(await refusesWrongPassword("127.0.0.1", ownPort, role))) {
    throw new Error("the scram cluster accepted a wrong password");
  }
  return {
    host: "127.0.0.1",
    port: ownPort,
    database: "postgres",
    role,
    password,
    ownCluster: true,
    adminUrl,
    stop: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createRole(url: string, role: string, password: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Role names are generated above (hex); the password travels as a literal PostgreSQL escapes.
    const { rows } = await client.query<{ lit: string }>("select quote_literal($1::text) as lit", [password]);
    await client.query(`create role ${role} login password ${rows[0]!.lit}`);
  } finally {
    await client.end();
  }
}

async function dropRole(url: string, role: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where usename = $1 and pid <> pg_backend_pid()`,
      [role],
    );
    await client.query(`drop role if exists ${role}`);
  } finally {
    await client.end();
  }
}

async function refusesWrongPassword(host: string, port: number, role: string): Promise<boolean> {
  const client = new pg.Client({ host, port, user: role, password: "definitely-wrong", database: "postgres" });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.end();
    return false;
  } catch {
    return true;
  }
}
