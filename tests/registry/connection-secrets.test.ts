import { execFile } from "node:child_process";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as collection from "../../app/api/databases/route";
import * as item from "../../app/api/databases/[id]/route";
import * as health from "../../app/api/databases/[id]/health/route";
import * as test from "../../app/api/databases/[id]/test/route";
import * as tenantsCollection from "../../app/api/tenants/route";
import { SecretBox } from "../../server/crypto/secret-box";
import { startPasswordServer, type PasswordServer } from "./password-server";
import { queryOn } from "../support/database";
import { type ControlPlaneEnv, setEnv, setUpControlPlane } from "../support/test-env";
import { type ApiResponse, call } from "../support/api-call";
import { startRealmWithTokens, type Tokens } from "../support/realm-tokens";

/**
 * Acceptance 1: a wrong password is refused with PostgreSQL's own authentication error and no
 * trace of any password in what the API returns or logs; the right one registers; the stored
 * column holds ciphertext only; no route's response ever carries a password. Then acceptance 2,
 * key rotation, on the same password-checking server (a wrong decryption could not connect).
 */

let env: ControlPlaneEnv;
let tokens: Tokens;
let server: PasswordServer;
const logLines: string[] = [];
const responses: ApiResponse[] = [];

async function api(...args: Parameters<typeof call>) {
  const res = await call(...args);
  responses.push(res);
  return res;
}

beforeAll(async () => {
  env = await setUpControlPlane({ LOG_LEVEL: "trace" });
  server = await startPasswordServer();
  // Every log line of this process, at every level, unredacted: a password must not even reach it.
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  (globalThis as Record<symbol, unknown>)[Symbol.for("console.logger")] = pino({ level: "trace" }, sink);
  tokens = await startRealmWithTokens();
});

afterAll(async () => {
  await tokens?.realm.stop();
  await env?.close();
  await server?.stop();
});

const registration = (password: string, overrides: Record<string, unknown> = {}) => ({
  name: "secret-db",
  host: server.host,
  port: server.port,
  database_name: server.database,
  username: server.role,
  password,
  connection_type: "shared",
  region: "eu-west-1",
  ...overrides,
});

describe("passwords of registered databases", () => {
  const wrong = "Wrong-Pa55word-that-must-not-leak";
  let id: string;

  it("refuses a wrong password with PostgreSQL's 28P01 and writes nothing", async () => {
    const res = await api(collection.POST, "POST", "/api/databases", { token: tokens.operator, body: registration(wrong) });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe("connection_failed");
    expect(res.json.details.code).toBe("28P01");
    expect(res.json.message).toMatch(/password authentication failed for user "reg_login_/);
    expect(res.text).not.toContain(wrong);
    const { rows } = await queryOn(env.controlPlane.name, "select count(*)::int as n from console.connections");
    expect(rows[0]?.n).toBe(0);
  });

  it("refuses a missing password where the server asks for one, without falling back to local credentials", async () => {
    // PGPASSWORD would be pg's fallback for an empty password; it must never be sent to a fleet host.
    process.env.PGPASSWORD = server.password;
    try {
      const res = await api(collection.POST, "POST", "/api/databases", {
        token: tokens.operator,
        body: registration(server.password, { password: null }),
      });
      expect(res.status).toBe(422);
      expect(res.json.details).toMatchObject({ code: "no_password" });
    } finally {
      delete process.env.PGPASSWORD;
    }
  });

  it("registers with the right password and stores only ciphertext under the current key id", async () => {
    const res = await api(collection.POST, "POST", "/api/databases", { token: tokens.operator, body: registration(server.password) });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ has_password: true, is_healthy: true });
    id = res.json.id;

    const { rows } = await queryOn<{ password_encrypted: string; password_key_id: string; row: string }>(
      env.controlPlane.name,
      "select password_encrypted, password_key_id, c::text as row from console.connections c where id = $1",
      [id],
    );
    const stored = rows[0]!;
    expect(stored.row).not.toContain(server.password);
    expect(Buffer.from(stored.password_encrypted, "base64").toString("latin1")).not.toContain(server.password);
    expect(stored.password_key_id).toBe(new SecretBox(env.encryptionKey).currentKeyId);
    // Ciphertext is fresh per write (random IV): it is not a deterministic function of the password.
    expect(new SecretBox(env.encryptionKey).open({ ciphertext: stored.password_encrypted, keyId: stored.password_key_id })).toBe(
      server.password,
    );
  });

  it("refuses an update to a wrong password and keeps the working one", async () => {
    const before = await queryOn(env.controlPlane.name, "select password_encrypted from console.connections where id = $1", [id]);
    const res = await api(item.PATCH, "PATCH", `/api/databases/${id}`, {
      token: tokens.operator,
      params: { id },
      body: { password: wrong },
    });
    expect(res.status).toBe(422);
    expect(res.json.details.code).toBe("28P01");
    const after = await queryOn(env.controlPlane.name, "select password_encrypted from console.connections where id = $1", [id]);
    expect(after.rows[0]).toEqual(before.rows[0]);
    const retest = await api(test.POST, "POST", `/api/databases/${id}/test`, { token: tokens.operator, params: { id } });
    expect(retest.json.success).toBe(true);
  });

  it("answers every read and write without the password", async () => {
    await api(collection.GET, "GET", "/api/databases", { token: tokens.viewer });
    await api(item.GET, "GET", `/api/databases/${id}`, { token: tokens.viewer, params: { id } });
    await api(item.PATCH, "PATCH", `/api/databases/${id}`, {
      token: tokens.operator,
      params: { id },
      body: { password: server.password, name: "secret-db-renamed" },
    });
    await api(health.GET, "GET", `/api/databases/${id}/health`, { token: tokens.viewer, params: { id } });
    await api(tenantsCollection.GET, "GET", "/api/tenants", { token: tokens.viewer });
    // A registration that fails for another reason (name taken) after a successful test.
    await api(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: registration(server.password, { name: "secret-db-renamed" }),
    });

    expect(responses.length).toBeGreaterThanOrEqual(9);
    for (const res of responses) {
      expect(res.text).not.toContain(server.password);
      expect(res.text).not.toContain(wrong);
      expect(res.text).not.toMatch(/"password"\s*:/);
    }
  });

  it("never writes a password to a log line or the audit log", async () => {
    expect(logLines.length).toBeGreaterThan(5);
    const logs = logLines.join("");
    expect(logs).not.toContain(server.password);
    expect(logs).not.toContain(wrong);
    const audit = await queryOn(env.controlPlane.name, "select string_agg(a::text, ' ') as all from console.audit_log a");
    expect(audit.rows[0]?.all).toContain("databases.create");
    expect(audit.rows[0]?.all).not.toContain(server.password);
    expect(audit.rows[0]?.all).not.toContain(wrong);
  });
});

/**
 * Acceptance 2: after APP_ENCRYPTION_KEY changes (old key in APP_ENCRYPTION_KEYS_PREVIOUS), rows
 * written under the old key still connect; `keys:rotate` moves every row to the new key, after
 * which the old key can be dropped and everything still connects.
 */
describe("rotating the encryption key", () => {
  const oldKey = () => env.encryptionKey;
  const newKey = `rotated-${"k".repeat(40)}`;
  const extraRows = 249;
  let id: string;

  const testNow = () => call(test.POST, "POST", `/api/databases/${id}/test`, { token: tokens.operator, params: { id } });

  it("keeps rows written under the old key usable while the new key is current", async () => {
    const res = await call(collection.POST, "POST", "/api/databases", {
      token: tokens.operator,
      body: registration(server.password, { name: "rotating", region: "us-east-1", schema_name: "rotating" }),
    });
    expect(res.status, res.text).toBe(201);
    id = res.json.id;
    // A fleet's worth of rows under the old key, so the rotation runs in several batches.
    const box = new SecretBox(oldKey());
    const sealed = Array.from({ length: extraRows }, () => box.seal(server.password));
    await queryOn(
      env.controlPlane.name,
      `insert into console.connections (name, host, port, database_name, username, password_encrypted, password_key_id,
                                        connection_type, region, is_active, created_by)
       select 'bulk-' || n, $1, $2, $3, $4, c, k, 'tenant', 'eu-west-1', false, 'test'
         from unnest($5::text[], $6::text[]) with ordinality as t(c, k, n)`,
      [server.host, server.port, server.database, server.role, sealed.map((s) => s.ciphertext), sealed.map((s) => s.keyId)],
    );

    setEnv({ APP_ENCRYPTION_KEY: newKey, APP_ENCRYPTION_KEYS_PREVIOUS: oldKey() });
    const res2 = await testNow();
    expect(res2.json).toMatchObject({ success: true });

    // Without the old key the row is unreadable, and the error says which key is missing (not the key).
    setEnv({ APP_ENCRYPTION_KEYS_PREVIOUS: "" });
    const missing = await testNow();
    expect(missing.status).toBe(503);
    expect(missing.json.message).toContain(new SecretBox(oldKey()).currentKeyId);
    expect(missing.json.message).toContain("APP_ENCRYPTION_KEYS_PREVIOUS");
    expect(missing.text).not.toContain(oldKey());
    setEnv({ APP_ENCRYPTION_KEYS_PREVIOUS: oldKey() });
  });

  it("`npm run keys:rotate` re-encrypts every row under the new key in batches, printing progress", async ({ annotate }) => {
    const started = Date.now();
    const { stdout, code } = await runRotateCli(["--batch-size", "100"], {
      APP_ENCRYPTION_KEY: newKey,
      APP_ENCRYPTION_KEYS_PREVIOUS: oldKey(),
    });
    const ms = Date.now() - started;
    expect(code, stdout).toBe(0);
    // 249 bulk rows + "rotating" + "secret-db" from the first describe.
    expect(stdout).toContain(`re-encrypted ${extraRows + 2} password(s)`);
    expect(stdout.match(/batch \d+:/g)).toHaveLength(3);
    expect(stdout).not.toContain(server.password);
    await annotate(`keys:rotate of ${extraRows + 2} rows: ${ms} ms including tsx start-up`);

    const { rows } = await queryOn(
      env.controlPlane.name,
      "select password_key_id as k, count(*)::int as n from console.connections where password_encrypted is not null group by 1",
    );
    expect(rows).toEqual([{ k: new SecretBox(newKey).currentKeyId, n: extraRows + 2 }]);
  });

  it("lets the old key go: with only the new key everything still connects", async () => {
    setEnv({ APP_ENCRYPTION_KEY: newKey, APP_ENCRYPTION_KEYS_PREVIOUS: "" });
    const res = await testNow();
    expect(res.json).toMatchObject({ success: true });
    const check = await runRotateCli(["--check"], { APP_ENCRYPTION_KEY: newKey, APP_ENCRYPTION_KEYS_PREVIOUS: "" });
    expect(check.code, check.stdout).toBe(0);
  });

  it("reports rows whose key is unknown instead of skipping them silently (exit 1)", async () => {
    const stray = new SecretBox(`stray-${"s".repeat(40)}`).seal("whatever");
    await queryOn(
      env.controlPlane.name,
      `insert into console.connections (name, host, database_name, username, password_encrypted, password_key_id, connection_type, created_by)
       values ('stray', 'localhost', 'x', 'x', $1, $2, 'analytics', 'test')`,
      [stray.ciphertext, stray.keyId],
    );
    const res = await runRotateCli([], { APP_ENCRYPTION_KEY: newKey, APP_ENCRYPTION_KEYS_PREVIOUS: "" });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`no encryption key with id ${stray.keyId}`);
    expect(res.stderr).toContain("1 password(s) could not be read");
  });
});

async function runRotateCli(args: string[], extraEnv: Record<string, string>) {
  const childEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ENVIRONMENT: "testing",
    DATABASE_URL: env.controlPlane.url,
    DATA_DIR: "/nonexistent-data-dir",
    ...extraEnv,
  };
  const cleanEnv = Object.fromEntries(Object.entries(childEnv).filter(([, v]) => v !== undefined && v !== "")) as NodeJS.ProcessEnv;
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "server/runtime/rotate-keys-cli.ts", ...args],
      { env: cleanEnv, cwd: process.cwd(), timeout: 60_000, encoding: "utf8" },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
