import { describe, expect, it } from "vitest";
import { retryAfterSeconds, waitForRateLimit } from "./rate-limit-wait";

describe("retryAfterSeconds", () => {
  it("reads delta-seconds and HTTP dates, within 1–120 s", () => {
    expect(retryAfterSeconds("26")).toBe(26);
    expect(retryAfterSeconds("0")).toBe(1);
    expect(retryAfterSeconds("3600")).toBe(120);
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(retryAfterSeconds("Wed, 01 Jan 2025 12:00:10 GMT", now)).toBe(10);
  });

  it("waits a few seconds when the header is missing or unreadable", () => {
    expect(retryAfterSeconds(null)).toBe(5);
    expect(retryAfterSeconds("soon")).toBe(5);
  });
});

describe("waitForRateLimit", () => {
  it("gives up at once when the request is abandoned", async () => {
    const controller = new AbortController();
    const waiting = waitForRateLimit(60, controller.signal);
    controller.abort(new DOMException("superseded", "AbortError"));
    await expect(waiting).rejects.toThrow("superseded");
  });
});
