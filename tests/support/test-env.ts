import { randomBytes } from "node:crypto";
import { resetSettingsCache } from "../../server/config/settings";
import { closeControlPlane } from "../../server/db/client";
import { stopFleetPools } from "../../server/fleet/pool-manager";
import { createControlPlaneDatabase, type TestDatabase, testServerUrl } from "./database";

/**
 * An integration test's world: a fresh control-plane database, the settings pointing at it (testing
 * environment, a fresh encryption key, rate limits off), and clean-up that closes every pool.
 */
export interface ControlPlaneEnv {
  controlPlane: TestDatabase;
  encryptionKey: string;
  /** The test server, as a registered connection would reach it. */
  server: { host: string; port: number; username: string; password: string | null };
  close: () => Promise<void>;
}

export async function setUpControlPlane(extraEnv: Record<string, string> = {}): Promise<ControlPlaneEnv> {
  const controlPlane = await createControlPlaneDatabase("reg");
  const encryptionKey = randomBytes(32).toString("base64url");
  setEnv({
    ENVIRONMENT: "testing",
    DATABASE_URL: controlPlane.url,
    APP_ENCRYPTION_KEY: encryptionKey,
    APP_ENCRYPTION_KEYS_PREVIOUS: "",
    RATE_LIMIT_ENABLED: "false",
    ALLOWED_DATABASE_HOSTS: "",
    HEALTH_CHECK_INTERVAL: "60",
    ...extraEnv,
  });
  const url = new URL(testServerUrl("postgres"));
  return {
    controlPlane,
    encryptionKey,
    server: {
      host: url.hostname,
      port: Number(url.port || 5432),
      username: decodeURIComponent(url.username || "postgres"),
      password: url.password ? decodeURIComponent(url.password) : null,
    },
    close: async () => {
      await stopFleetPools();
      await closeControlPlane();
      await controlPlane.drop();
    },
  };
}

/** Sets (or, for "", unsets) environment variables and drops the cached settings. */
export function setEnv(vars: Record<string, string>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === "") delete process.env[k];
    else process.env[k] = v;
  }
  resetSettingsCache();
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
