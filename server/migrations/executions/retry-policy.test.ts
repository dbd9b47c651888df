import { describe, expect, it } from "vitest";
import { retryDelayMs, shouldRetry } from "./retry-policy";

describe("retry policy", () => {
  it("retries transient failures and busy targets, never SQL errors", () => {
    expect(shouldRetry({ message: "refused", code: "ECONNREFUSED", transient: true }, 1, 3)).toBe(true);
    expect(shouldRetry({ message: "busy", code: "target_busy", transient: false }, 1, 3)).toBe(true);
    expect(shouldRetry({ message: "relation exists", code: "42P07", transient: false }, 1, 3)).toBe(false);
    expect(shouldRetry(undefined, 1, 3)).toBe(false);
  });

  it("allows MIGRATION_RETRY_ATTEMPTS retries, so retryAttempts + 1 tries in all", () => {
    const e = { message: "refused", transient: true };
    expect([1, 2, 3, 4].map((attempt) => shouldRetry(e, attempt, 3))).toEqual([true, true, true, false]);
    expect(shouldRetry(e, 1, 0)).toBe(false);
  });

  it("doubles the delay per attempt, with jitter that never makes a later delay shorter", () => {
    expect([1, 2, 3].map((a) => retryDelayMs(a, 100, () => 0))).toEqual([100, 200, 400]);
    expect([1, 2, 3].map((a) => retryDelayMs(a, 100, () => 0.999))).toEqual([150, 300, 600]);
    for (let i = 0; i < 200; i++) {
      const delays = [1, 2, 3, 4].map((a) => retryDelayMs(a, 1000));
      for (let a = 1; a < delays.length; a++) expect(delays[a]!).toBeGreaterThanOrEqual(delays[a - 1]!);
    }
    expect(retryDelayMs(30, 1000)).toBe(10 * 60_000);
  });
});
