import { describe, expect, it } from "vitest";
import { describeWindow, effectiveWindows, findOverlap, windowState, type WeeklyWindow } from "./maintenance-windows";

const night: WeeklyWindow = { days: ["mon", "wed"], start: "23:00", durationMinutes: 120, timezone: "Europe/Berlin" };

describe("weekly maintenance windows", () => {
  it("is open from its local start for its duration, past midnight, and says when it closes", () => {
    // Monday 23:30 in Berlin (winter, UTC+1) is 22:30 UTC.
    const state = windowState([night], new Date("2026-01-05T22:30:00Z"));
    expect(state).toMatchObject({ restricted: true, open: true, closesAt: new Date("2026-01-06T00:00:00Z") });
    // Tuesday 00:59 local: still Monday's window.
    expect(windowState([night], new Date("2026-01-05T23:59:00Z")).open).toBe(true);
    // Tuesday 01:00 local: closed, next opening Wednesday 23:00 local.
    expect(windowState([night], new Date("2026-01-06T00:00:00Z"))).toEqual({
      restricted: true,
      open: false,
      opensAt: new Date("2026-01-07T22:00:00Z"),
    });
  });

  it("keeps local time across a daylight-saving change", () => {
    // Monday 30 March 2026 is after Berlin moved to UTC+2: 23:00 local is 21:00 UTC.
    expect(windowState([night], new Date("2026-03-29T12:00:00Z"))).toMatchObject({ open: false, opensAt: new Date("2026-03-30T21:00:00Z") });
  });

  it("without windows everything is open; with several the earliest opening counts", () => {
    expect(windowState([], new Date())).toEqual({ restricted: false, open: true });
    const early: WeeklyWindow = { days: ["tue"], start: "06:00", durationMinutes: 30, timezone: "UTC" };
    expect(windowState([night, early], new Date("2026-01-06T00:00:00Z"))).toMatchObject({ open: false, opensAt: new Date("2026-01-06T06:00:00Z") });
  });

  it("a database's own windows replace its region's", () => {
    const all = [
      { id: "r", connectionId: null, region: "eu" },
      { id: "d", connectionId: "db1", region: null },
    ];
    expect(effectiveWindows(all, { connectionId: "db1", region: "eu" }).source).toBe("database");
    expect(effectiveWindows(all, { connectionId: "db2", region: "eu" })).toMatchObject({ source: "region", windows: [{ id: "r" }] });
    expect(effectiveWindows(all, { connectionId: "db3", region: "us" }).source).toBe("none");
  });

  it("finds overlaps across time zones and with a window's own next opening; touching is fine", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    const a = { id: "a", days: ["mon"] as const, start: "02:00", durationMinutes: 60, timezone: "UTC" };
    expect(findOverlap([a, { id: "b", days: ["mon"], start: "03:00", durationMinutes: 60, timezone: "UTC" }], from)).toBeNull();
    expect(findOverlap([a, { id: "b", days: ["mon"], start: "03:30", durationMinutes: 60, timezone: "Europe/Berlin" }], from)).toMatchObject({ a: "a", b: "b" });
    expect(findOverlap([{ id: "s", days: ["mon", "tue"], start: "00:00", durationMinutes: 1441, timezone: "UTC" }], from)).toMatchObject({ a: "s", b: "s" });
    expect(findOverlap([{ id: "w", days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], start: "00:00", durationMinutes: 1440, timezone: "UTC" }], from)).toBeNull();
  });

  it("names a window for people", () => {
    expect(describeWindow(night)).toBe("mon, wed 23:00 for 2 h (Europe/Berlin)");
    expect(describeWindow({ days: ["sat", "sun"], start: "01:30", durationMinutes: 90, timezone: "UTC" })).toBe("sun, sat 01:30 for 1 h 30 min (UTC)");
  });
});
