import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as databases from "../../app/api/databases/route";
import * as database from "../../app/api/databases/[id]/route";
import { testConnectionDetails } from "../../server/databases/service";
import { AppError } from "../../server/errors/app-error";
import { type ApiEnv, setUpApi } from "../api/api-env";
import { callEndpoint } from "../api/contract";
import { queryOn } from "../support/database";
import { setEnv } from "../support/test-env";

/**
 * ALLOWED_DATABASE_HOSTS against the spellings that make other software reach an address the list
 * does not name: short and numeric IPv4 forms (`127.1`, `0x7f000002`, `2130706434`, octal), IPv4
 * mapped into IPv6, zone ids, trailing dots, URLs and userinfo, DNS names that embed an address.
 * Every one is refused before any network traffic (the registration is tested for real, so a host
 * that got through would answer `connection_failed`, not `host_not_allowed`), and nothing is written.
 */

let env: ApiEnv;
let token: string;

beforeAll(async () => {
  env = await setUpApi();
  token = await env.tokenWith("databases:manage");
});

afterAll(async () => {
  setEnv({ ALLOWED_DATABASE_HOSTS: "" });
  await env?.close();
});

const BYPASS_FORMS = [
  // IPv4 written so that inet_aton reads it as some 127.x address.
  "127.1",
  "127.0.1",
  "127.0.0.2",
  "0x7f000002",
  "0x7f.0.0.2",
  "0177.0.0.2",
  "017700000002",
  "2130706434",
  "127.0.0.2.",
  // IPv4-mapped and other IPv6 spellings of loopback or the unspecified address.
  "::ffff:127.0.0.2",
  "[::ffff:127.0.0.2]",
  "::ffff:7f00:2",
  "0:0:0:0:0:ffff:7f00:2",
  "::",
  "0.0.0.0",
  "0",
  // Zone ids and link-local.
  "fe80::1%lo",
  "fe80::1%25eth0",
  "::1%lo",
  "127.0.0.1%lo",
  "169.254.169.254",
  // Names that embed or disguise an address, URLs, userinfo, ports.
  "127.0.0.2.nip.io",
  "localhost.localdomain",
  "db.internal.evil.example",
  "evil.example#db.internal",
  "db.internal@evil.example",
  "evil.example/db.internal",
  "db.internal:5432",
  "[::1]:5432",
  "http://db.internal",
  "db.internal\u0000.evil.example",
];

/** The production-style list: names under db.internal and one private range. */
const PRODUCTION_LIKE = "db.internal,*.db.internal,10.20.0.0/16";

async function register(host: string) {
  return callEndpoint(databases.POST, {
    token,
    body: { name: `probe-${randomUUID().slice(0, 8)}`, host, port: 5432, database_name: "probe", username: "probe", connection_type: "analytics" },
  });
}

function expectRefusedBeforeConnecting(res: { status: number; json: { error: string; details: Record<string, unknown> } }, host: string) {
  expect(res.status, `${JSON.stringify(host)}: ${JSON.stringify(res.json)}`).toBe(422);
  // Refused as not allowed, or as not a host at all; never tried (connection_failed).
  expect(["host_not_allowed", "validation_error"], JSON.stringify(host)).toContain(res.json.error);
  if (res.json.error === "validation_error") expect(JSON.stringify(res.json.details.fields)).toContain('"host"');
}

describe.each([
  ["a production-style allow-list", PRODUCTION_LIKE],
  ["the development default (localhost, 127.0.0.1, ::1)", ""],
])("with %s", (_label, allowed) => {
  beforeAll(() => setEnv({ ALLOWED_DATABASE_HOSTS: allowed }));

  it.each(BYPASS_FORMS)("refuses %j before any network traffic", async (host) => {
    expectRefusedBeforeConnecting(await register(host), host);
    const tested = await testConnectionDetails({ host, port: 5432, database_name: "probe", username: "probe", ssl_mode: "disable" }).then(
      (result) => result,
      (error: unknown) => error,
    );
    // The form's "Test connection" goes through the same guard (a result would mean it connected).
    expect(tested, JSON.stringify(host)).toBeInstanceOf(AppError);
    expect((tested as AppError).code).toBe("host_not_allowed");
  });
});

describe("an allowed connection moved to a bypass form", () => {
  it("is refused on update too, and keeps its host", async () => {
    setEnv({ ALLOWED_DATABASE_HOSTS: "" });
    const created = await callEndpoint(databases.POST, {
      token,
      body: { name: "guarded", host: "localhost", port: 5432, database_name: "probe", username: "probe", connection_type: "analytics", skip_test: true },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    for (const host of ["0x7f000002", "::ffff:127.0.0.2", "127.1", "localhost.localdomain"]) {
      const res = await callEndpoint(database.PATCH, { token, params: { id }, body: { host, password: "x", skip_test: true } });
      expectRefusedBeforeConnecting(res, host);
    }
    const { rows } = await queryOn<{ host: string; n: number }>(
      env.controlPlane.name,
      "select max(host) as host, count(*)::int as n from console.connections",
    );
    expect(rows[0]).toEqual({ host: "localhost", n: 1 });
  });
});
