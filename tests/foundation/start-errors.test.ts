import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Runs the console's start command with an environment and returns how it ended. */
function start(env: Record<string, string>) {
  const result = spawnSync("node_modules/.bin/tsx", ["server/runtime/main.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr };
}

describe("starting with bad settings", () => {
  it("stops on MIGRATION_BATCH_SIZE=abc naming the variable", () => {
    const { code, stderr } = start({ MIGRATION_BATCH_SIZE: "abc" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot start: invalid settings:\n\s+- MIGRATION_BATCH_SIZE: must be a whole number/);
  });

  it("stops on ENVIRONMENT=prod naming the variable and the allowed values", () => {
    const { code, stderr } = start({ ENVIRONMENT: "prod" });
    expect(code).toBe(2);
    expect(stderr).toContain("ENVIRONMENT: must be one of development, staging, production, testing");
  });

  it("refuses production without APP_ENCRYPTION_KEY", () => {
    const { code, stderr } = start({
      ENVIRONMENT: "production",
      DATABASE_URL: "postgres://console@127.0.0.1:1/admin",
      KEYCLOAK_URL: "https://sso.example.com",
      KEYCLOAK_REALM: "infrastructure",
      KEYCLOAK_CLIENT_ID: "infrastructure-console",
      KEYCLOAK_CLIENT_SECRET: "secret",
      AUTH_SECRET: "s".repeat(40),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("APP_ENCRYPTION_KEY: required when ENVIRONMENT=production");
  });
});
