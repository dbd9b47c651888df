import { describe, expect, it } from "vitest";
import { previewCron, previewRunAt } from "./schedule-timing";

describe("schedule timing preview", () => {
  const now = new Date("2026-03-27T12:00:00Z");

  it("lists the next five runs of a cron expression in its time zone, across a DST change", () => {
    const preview = previewCron("0 3 * * *", "Europe/Berlin", now);
    expect(preview.ok).toBe(true);
    expect(preview.words).toBe("Every day at 03:00 (Europe/Berlin)");
    expect(preview.runs.map((d) => d.toISOString())).toEqual([
      "2026-03-28T02:00:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T01:00:00.000Z",
      "2026-03-31T01:00:00.000Z",
      "2026-04-01T01:00:00.000Z",
    ]);
  });

  it("says what is wrong with an expression or a zone, as the server would", () => {
    expect(previewCron("61 * * * *", "UTC", now)).toMatchObject({ ok: false, problem: expect.stringContaining("invalid cron expression") });
    expect(previewCron("0 3 * * *", "Mars/Olympus", now)).toMatchObject({ ok: false, problem: expect.stringContaining("unknown time zone") });
    expect(previewCron("  ", "UTC", now)).toMatchObject({ ok: false });
  });

  it("accepts a run-at time only in the future", () => {
    expect(previewRunAt("2026-03-28T10:00", now)).toMatchObject({ ok: true, words: "Once" });
    expect(previewRunAt("2026-03-01T10:00", now)).toMatchObject({ ok: false, problem: "Choose a time in the future." });
    expect(previewRunAt("", now)).toMatchObject({ ok: false });
  });
});
