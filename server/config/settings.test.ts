import { describe, expect, it } from "vitest";
import { parseSettings, type ProcessRole, SettingsError } from "./settings";
import { PRODUCTION_ENV } from "../../tests/support/production-env";

const PRODUCTION = PRODUCTION_ENV;

function problems(env: Record<string, string>, role: ProcessRole = "console"): string[] {
  try {
    parseSettings(env, role);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe("settings", () => {
  it("starts with no configuration at all, on the original service's defaults", () => {
    const s = parseSettings({});
    expect(s.environment).toBe("development");
    expect(s.migrations).toMatchObject({ timeoutSeconds: 300, batchSize: 10, retryAttempts: 3, requireApproval: false });
    expect(s.rateLimit).toEqual({ enabled: true, requestsPerMinute: 60, sessionRequestsPerMinute: 3000 });
    expect(s.dbPool).toEqual({ min: 5, max: 20 });
    expect(s.keycloak.isDevRealm).toBe(true);
    expect(s.keycloak.issuer).toBe("http://localhost:8089/realms/infrastructure");
    expect(s.demoFleet).toBe(true);
  });

  it("names the variable, the problem and the allowed form for a bad number", () => {
    const [problem] = problems({ MIGRATION_BATCH_SIZE: "abc" });
    expect(problem).toMatch(/^MIGRATION_BATCH_SIZE: .*whole number between 1 and 1000/);
    expect(problem).toContain('"abc"');
  });

  it("refuses an unknown environment and lists the allowed ones", () => {
    const [problem] = problems({ ENVIRONMENT: "prod" });
    expect(problem).toMatch(/^ENVIRONMENT: must be one of development, staging, production, testing/);
  });

  it("reports every bad variable at once", () => {
    expect(problems({ PORT: "70000", RATE_LIMIT_ENABLED: "maybe", DATABASE_URL: "mysql://x" })).toHaveLength(3);
  });

  it("requires every production secret and endpoint explicitly", () => {
    expect(problems(PRODUCTION)).toEqual([]);
    const { APP_ENCRYPTION_KEY: _omit, ...withoutKey } = PRODUCTION;
    expect(problems(withoutKey)).toEqual(["APP_ENCRYPTION_KEY: required when ENVIRONMENT=production"]);
    expect(problems({ ENVIRONMENT: "production" })).toHaveLength(7);
  });

  it("asks a production worker only for the control plane and the encryption key, none of the console's sign-in secrets", () => {
    const worker = { ENVIRONMENT: "production", DATABASE_URL: PRODUCTION.DATABASE_URL!, APP_ENCRYPTION_KEY: PRODUCTION.APP_ENCRYPTION_KEY! };
    expect(problems(worker, "worker")).toEqual([]);
    expect(problems({ ENVIRONMENT: "production" }, "worker")).toEqual([
      "DATABASE_URL: required when ENVIRONMENT=production",
      "APP_ENCRYPTION_KEY: required when ENVIRONMENT=production",
    ]);
    // The same environment is not enough for the console, which signs sessions and checks tokens.
    expect(problems(worker)).toEqual([
      "KEYCLOAK_URL: required when ENVIRONMENT=production",
      "KEYCLOAK_REALM: required when ENVIRONMENT=production",
      "KEYCLOAK_CLIENT_ID: required when ENVIRONMENT=production",
      "KEYCLOAK_CLIENT_SECRET: required when ENVIRONMENT=production",
      "AUTH_SECRET: required when ENVIRONMENT=production",
    ]);
  });

  it("never echoes a secret's value in a message", () => {
    const short = problems({ APP_ENCRYPTION_KEY: "short-secret-value" }).join("\n");
    expect(short).toContain("APP_ENCRYPTION_KEY: must be at least 32 characters");
    expect(short).not.toContain("short-secret-value");
    const badUrl = problems({ DATABASE_URL: "mysql://user:nope-secret@h/db" }).join("\n");
    expect(badUrl).toContain("DATABASE_URL: must be a PostgreSQL URL");
    expect(badUrl).not.toContain("nope-secret");
  });

  it("refuses CORS '*' with credentials in production", () => {
    expect(problems({ ...PRODUCTION, CORS_ALLOW_ORIGINS: "*" })[0]).toMatch(/^CORS_ALLOW_ORIGINS/);
    expect(problems({ ...PRODUCTION, CORS_ALLOW_ORIGINS: "*", CORS_ALLOW_CREDENTIALS: "false" })).toEqual([]);
  });

  it("uses production listen defaults and no allowed fleet hosts until configured", () => {
    const s = parseSettings(PRODUCTION);
    expect(s.host).toBe("0.0.0.0");
    expect(s.port).toBe(8000);
    expect(s.allowedDatabaseHosts).toEqual([]);
    expect(s.keycloak.isDevRealm).toBe(false);
    expect(s.demoFleet).toBe(false);
  });

  it("accepts the original service's variable names", () => {
    const s = parseSettings({ ADMIN_DATABASE_URL: "postgres://a@h/db", KEYCLOAK_ADMIN_REALM: "ops" });
    expect(s.databaseUrl).toBe("postgres://a@h/db");
    expect(s.keycloak.realm).toBe("ops");
  });

  it("accepts tokens for the console's own client only, unless more audiences are listed", () => {
    expect(parseSettings({}).keycloak.audiences).toEqual(["infrastructure-console"]);
    expect(parseSettings({ KEYCLOAK_CLIENT_ID: "console" }).keycloak.audiences).toEqual(["console"]);
    expect(parseSettings({ KEYCLOAK_CLIENT_ID: "console", KEYCLOAK_AUDIENCES: "infra-api, console" }).keycloak.audiences).toEqual([
      "console",
      "infra-api",
    ]);
  });

  it("refuses `account` as an accepted audience: it is in nearly every user token of a realm", () => {
    expect(problems({ KEYCLOAK_AUDIENCES: "infra-api,account" })[0]).toMatch(/^KEYCLOAK_AUDIENCES: must not list `account`/);
  });
});
