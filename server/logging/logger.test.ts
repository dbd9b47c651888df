import type { Logger } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetSettingsCache } from "../config/settings";
import { PRODUCTION_ENV } from "../../tests/support/production-env";

const PRODUCTION = { ...PRODUCTION_ENV, LOG_LEVEL: "info" };

afterEach(() => {
  vi.unstubAllEnvs();
  resetSettingsCache();
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("console.logger")];
});

async function captureLine(env: Record<string, string>, log: (logger: Logger) => void): Promise<string> {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  resetSettingsCache();
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("console.logger")];
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    const { getLogger } = await import("./logger");
    log(getLogger());
  } finally {
    spy.mockRestore();
  }
  return writes.join("");
}

describe("logger", () => {
  it("writes JSON lines in production, with secrets redacted", async () => {
    const out = await captureLine(PRODUCTION, (l) => l.info({ password: "hunter2", connection: { password: "x" } }, "hello"));
    const line = JSON.parse(out.trim());
    expect(line).toMatchObject({ level: "info", msg: "hello", env: "production", password: "[redacted]", connection: { password: "[redacted]" } });
    expect(out).not.toContain("hunter2");
  });

  it("writes readable single lines in development", async () => {
    const out = await captureLine({ ENVIRONMENT: "development", LOG_LEVEL: "info" }, (l) => l.info({ token: "abc.def" }, "ready"));
    expect(out).toMatch(/^\d\d:\d\d:\d\d INFO  ready \{"token":"\[redacted\]"\}\n$/);
  });
});
