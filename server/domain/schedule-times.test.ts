import { describe, expect, it } from "vitest";
import { cronProblem, nextRun, nextRuns } from "./schedule-times";

describe("schedule times", () => {
  it("keeps local wall-clock time across a daylight-saving change", () => {
    // Europe/Berlin moves from UTC+1 to UTC+2 on 2025-03-30.
    const runs = nextRuns("0 9 * * *", "Europe/Berlin", new Date("2025-03-28T12:00:00Z"), 3);
    expect(runs.map((d) => d.toISOString())).toEqual(["2025-03-29T08:00:00.000Z", "2025-03-30T07:00:00.000Z", "2025-03-31T07:00:00.000Z"]);
  });

  it("counts strictly after the given time, and supports a seconds field", () => {
    expect(nextRun("*/10 * * * * *", "UTC", new Date("2025-01-01T00:00:10Z"))).toEqual(new Date("2025-01-01T00:00:20Z"));
  });

  it("names what is wrong with a pattern or a time zone", () => {
    expect(cronProblem("0 9 * * 1-5", "UTC")).toBeNull();
    expect(cronProblem("61 * * * *", "UTC")).toContain("minute");
    expect(cronProblem("0 9 * * *", "Mars/Olympus")).toContain("unknown time zone Mars/Olympus");
  });
});
