import { describe, expect, it } from "vitest";
import { formatDuration, formatRate, formatRelative, progressTone, throughputPerMinute } from "./format";

describe("execution formatting", () => {
  it("says durations in the unit that reads best", () => {
    expect(formatDuration(12)).toBe("12 ms");
    expect(formatDuration(2_340)).toBe("2.3 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3 * 3_600_000 + 60_000)).toBe("3 h 1 min");
    expect(formatDuration(null)).toBe("—");
  });

  it("says how far a time is from now, both ways", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(formatRelative("2026-01-01T00:02:00Z", now)).toBe("in 2 min");
    expect(formatRelative("2025-12-31T23:59:30Z", now)).toBe("30 s ago");
    expect(formatRelative(null, now)).toBe("—");
  });

  it("measures throughput from the start to the end (or now)", () => {
    const start = "2026-01-01T00:00:00Z";
    expect(throughputPerMinute(30, start, "2026-01-01T00:01:00Z", 0)).toBeCloseTo(30);
    expect(throughputPerMinute(10, start, null, Date.parse("2026-01-01T00:00:30Z"))).toBeCloseTo(20);
    expect(throughputPerMinute(0, start, null, Date.now())).toBeNull();
    // 21 targets settled in the instant the execution was created: no rate, not "21000 targets/s".
    expect(throughputPerMinute(21, start, start, 0)).toBeNull();
    expect(throughputPerMinute(21, start, "2026-01-01T00:00:00.999Z", 0)).toBeNull();
    expect(formatRate(20)).toBe("20 targets/min");
    expect(formatRate(90)).toBe("1.5 targets/s");
    expect(formatRate(900)).toBe("15 targets/s");
  });

  it("colours a total failure apart from a partial one", () => {
    expect(progressTone({ completed_targets: 0, failed_targets: 21 }, "failed")).toBe("destructive");
    expect(progressTone({ completed_targets: 20, failed_targets: 1 }, "failed")).toBe("warning");
    expect(progressTone({ completed_targets: 21, failed_targets: 0 }, "completed")).toBe("success");
    expect(progressTone({ completed_targets: 3, failed_targets: 0 }, "in_progress")).toBe("default");
  });
});
