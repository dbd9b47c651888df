import { describe, expect, it } from "vitest";
import { describeConnectFailure, isTransientError, TargetBusyError } from "./target-errors";

// The shapes node-postgres produces: DatabaseError carries a SQLSTATE `code`, socket errors a Node
// errno `code`, and a dropped connection only a message.
const sqlError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code, severity: "ERROR" });

describe("isTransientError", () => {
  it.each([
    ["admin shutdown", "57P01"],
    ["crash shutdown", "57P02"],
    ["cannot connect now", "57P03"],
    ["lock timeout", "55P03"],
    ["serialization failure", "40001"],
    ["deadlock", "40P01"],
    ["too many connections", "53300"],
    ["connection failure (class 08)", "08006"],
  ])("retries %s (%s)", (_label, code) => {
    expect(isTransientError(sqlError(code))).toBe(true);
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"])("retries socket error %s", (code) => {
    expect(isTransientError(Object.assign(new Error("socket"), { code }))).toBe(true);
  });

  it("retries a connection node-postgres saw drop", () => {
    expect(isTransientError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isTransientError(new Error("wrapped", { cause: new Error("Connection terminated unexpectedly") }))).toBe(true);
  });

  it.each([
    ["undefined table", "42P01"],
    ["syntax error", "42601"],
    ["unique violation", "23505"],
    ["statement timeout", "57014"],
    ["insufficient privilege", "42501"],
  ])("fails at once on %s (%s)", (_label, code) => {
    expect(isTransientError(sqlError(code))).toBe(false);
  });

  it("does not retry a busy target or an unknown error", () => {
    expect(isTransientError(new TargetBusyError({ databaseName: "d", schemaName: "s" }, 1000))).toBe(false);
    expect(isTransientError(new Error("boom"))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
  });
});

describe("describeConnectFailure", () => {
  it.each([
    ["a database closed to connections (ALLOW_CONNECTIONS false)", "55000"],
    ["a server starting up, shutting down or in recovery", "57P03"],
    ["too many connections", "53300"],
    ["a connection failure", "08006"],
  ])("retries %s (%s) while connecting", (_label, code) => {
    expect(describeConnectFailure(sqlError(code))).toMatchObject({ code, transient: true });
  });

  it.each([
    ["a wrong password", "28P01"],
    ["a database that does not exist", "3D000"],
    ["a role without CONNECT", "42501"],
  ])("fails at once on %s (%s): it would fail the same way again", (_label, code) => {
    expect(describeConnectFailure(sqlError(code))).toMatchObject({ code, transient: false });
  });

  it("55000 outside connecting is an SQL error", () => {
    expect(isTransientError(sqlError("55000"))).toBe(false);
  });
});
