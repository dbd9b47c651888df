import { describe, expect, it } from "vitest";
import { describeConnectionError } from "./connection-error";
import { detailsFingerprint, pgClientConfig, withHiddenPassword } from "./connection-target";

const base = { host: "db.internal", port: 5432, databaseName: "app", username: "svc", sslMode: "prefer" as const };

describe("resolved connections keep their password out of sight", () => {
  it("is readable but never serialised, spread or logged with the object", () => {
    const c = withHiddenPassword({ ...base }, "s3cret-value");
    expect(c.password).toBe("s3cret-value");
    expect(JSON.stringify(c)).not.toContain("s3cret");
    expect({ ...c }).not.toHaveProperty("password");
    expect(Object.keys(c)).not.toContain("password");
  });

  it("decrypts lazily, once, and only when read", () => {
    let calls = 0;
    const c = withHiddenPassword({ ...base }, () => {
      calls += 1;
      return "decrypted";
    });
    expect(calls).toBe(0);
    expect(c.password).toBe("decrypted");
    expect(c.password).toBe("decrypted");
    expect(calls).toBe(1);
  });

  it("reads the password before any connection is attempted, so an unreadable one fails first", () => {
    const unreadable = withHiddenPassword({ ...base }, () => {
      throw new Error("no encryption key with id abc");
    });
    expect(() => pgClientConfig(unreadable, { connectTimeoutMs: 1000, applicationName: "t" })).toThrow(/no encryption key/);
  });

  it("hands pg a password function, never an empty value pg would replace with PGPASSWORD or ~/.pgpass", () => {
    const config = pgClientConfig({ ...base, password: null }, { connectTimeoutMs: 1000, applicationName: "t" });
    expect(typeof config.password).toBe("function");
    expect((config.password as () => string)()).toBe("");
  });

  it("fingerprints details one-way: a changed password changes it, the password cannot be read from it", () => {
    const a = detailsFingerprint({ ...base, password: "one-password" });
    expect(detailsFingerprint({ ...base, password: "one-password" })).toBe(a);
    expect(detailsFingerprint({ ...base, password: "another-password" })).not.toBe(a);
    expect(a).not.toContain("one-password");
  });

  it("scrubs the password from an error message should a driver ever echo it", () => {
    const info = describeConnectionError(Object.assign(new Error("auth failed for hunter2-pass"), { code: "28P01" }), "hunter2-pass");
    expect(info).toEqual({ code: "28P01", message: "auth failed for [redacted]" });
  });
});
