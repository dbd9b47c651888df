import { describe, expect, it } from "vitest";
import { parseSettings } from "../config/settings";
import { AppError } from "../errors/app-error";
import { hostPatternProblem } from "../config/host-patterns";
import { assertHostAllowed, compileHostPatterns, isHostAllowed } from "./host-guard";

const allowed = (host: string, patterns: string[]) => isHostAllowed(host, compileHostPatterns(patterns));

describe("ALLOWED_DATABASE_HOSTS patterns", () => {
  it("matches exact names case-insensitively, ignoring a trailing dot", () => {
    expect(allowed("db1.internal", ["db1.internal"])).toBe(true);
    expect(allowed("DB1.Internal.", ["db1.internal"])).toBe(true);
    expect(allowed("db2.internal", ["db1.internal"])).toBe(false);
    expect(allowed("db1.internal.evil.com", ["db1.internal"])).toBe(false);
  });

  it("matches *.suffix for subdomains at any depth, not the bare suffix or look-alikes", () => {
    const p = ["*.db.example.internal"];
    expect(allowed("eu1.db.example.internal", p)).toBe(true);
    expect(allowed("a.b.db.example.internal", p)).toBe(true);
    expect(allowed("db.example.internal", p)).toBe(false);
    expect(allowed("evildb.example.internal", p)).toBe(false);
    expect(allowed("eu1.db.example.internal.evil.com", p)).toBe(false);
  });

  it("matches IP literals against CIDRs and exact addresses, IPv4 and IPv6", () => {
    const p = ["10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1"];
    expect(allowed("10.20.30.40", p)).toBe(true);
    expect(allowed("11.0.0.1", p)).toBe(false);
    expect(allowed("192.168.1.7", p)).toBe(true);
    expect(allowed("192.168.1.8", p)).toBe(false);
    expect(allowed("fd12:3456::1", p)).toBe(true);
    expect(allowed("[fd12:3456::1]", p)).toBe(true);
    expect(allowed("0:0:0:0:0:0:0:1", p)).toBe(true);
    expect(allowed("fe80::1", p)).toBe(false);
  });

  it("refuses IPv6 zone ids, even on an allowed address (the zone picks an interface no pattern names)", () => {
    expect(allowed("::1%lo", ["::1"])).toBe(false);
    expect(allowed("fe80::1%eth0", ["fe80::/10"])).toBe(false);
    expect(allowed("[fe80::1%25eth0]", ["fe80::/10"])).toBe(false);
    expect(allowed("fe80::1", ["fe80::/10"])).toBe(true);
  });

  it("does not let a CIDR admit a host name (no DNS lookup decides)", () => {
    expect(allowed("localhost", ["127.0.0.0/8"])).toBe(false);
    expect(allowed("10.0.0.1.nip.io", ["10.0.0.0/8"])).toBe(false);
  });

  it("allows everything with * and nothing with an empty list", () => {
    expect(allowed("anything.example.com", ["*"])).toBe(true);
    expect(allowed("localhost", [])).toBe(false);
  });

  it("names malformed patterns, and settings refuse them at start", () => {
    expect(hostPatternProblem("10.0.0.0/33")).toMatch(/CIDR/);
    expect(hostPatternProblem("db host")).toMatch(/not a host name/);
    expect(hostPatternProblem("*.10.0.0.1")).toMatch(/wildcard/);
    expect(hostPatternProblem("*.internal")).toBeNull();
    expect(() => parseSettings({ ALLOWED_DATABASE_HOSTS: "db1.internal, 10.0.0.0/99" })).toThrow(/ALLOWED_DATABASE_HOSTS: "10.0.0.0\/99"/);
  });

  it("defaults to the local machine outside production and to nothing in production", () => {
    expect(parseSettings({}).allowedDatabaseHosts).toEqual(["localhost", "127.0.0.1", "::1"]);
    const production = parseSettings({
      ENVIRONMENT: "production",
      DATABASE_URL: "postgres://u:p@db:5432/admin",
      KEYCLOAK_URL: "https://sso.example.com",
      KEYCLOAK_REALM: "infra",
      KEYCLOAK_CLIENT_ID: "console",
      KEYCLOAK_CLIENT_SECRET: "secret",
      APP_ENCRYPTION_KEY: "k".repeat(32),
      AUTH_SECRET: "a".repeat(32),
    });
    expect(production.allowedDatabaseHosts).toEqual([]);
  });

  it("refuses with host_not_allowed (422) naming the host field, and says when the list is empty", () => {
    const refuse = (host: string, patterns: string[]) => {
      try {
        assertHostAllowed(host, patterns);
        return null;
      } catch (error) {
        return error as AppError;
      }
    };
    expect(refuse("localhost", ["localhost"])).toBeNull();
    const error = refuse("169.254.169.254", ["10.0.0.0/8"]);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "host_not_allowed", details: { field: "host" } });
    expect(refuse("db", [])?.message).toMatch(/ALLOWED_DATABASE_HOSTS is empty/);
  });
});
