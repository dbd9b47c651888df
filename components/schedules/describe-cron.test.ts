import { describe, expect, it } from "vitest";
import { describeCron } from "./describe-cron";

describe("describeCron", () => {
  it.each([
    ["* * * * *", "Every minute"],
    ["*/15 * * * *", "Every 15 minutes"],
    ["5 * * * *", "Every hour at :05"],
    ["0 */6 * * *", "Every 6 hours at :00"],
    ["0 3 * * *", "Every day at 03:00"],
    ["30 2 * * 1-5", "Every weekday at 02:30"],
    ["0 9,17 * * *", "Every day at 09:00 and 17:00"],
    ["0 4 * * 0", "Every Sunday at 04:00"],
    ["0 4 * * SAT,SUN", "Every weekend day at 04:00"],
    ["0 4 * * MON,WED", "Every Monday and Wednesday at 04:00"],
    ["0 4 * * 0,6", "Every weekend day at 04:00"],
    ["0 1 1 * *", "On day 1 of every month at 01:00"],
    ["0 0 25 12 *", "Every December 25 at 00:00"],
    ["0 0 3 * * *", "Every day at 03:00"],
  ])("%s reads as %s", (expression, words) => {
    expect(describeCron(expression)).toBe(words);
  });

  it("says so when the shape is beyond its words", () => {
    expect(describeCron("0 3 1-7 * 1")).toBe("Custom: 0 3 1-7 * 1");
    expect(describeCron("15 0 3 * * *")).toBe("Custom: 15 0 3 * * *");
    expect(describeCron("not cron")).toBe("Custom: not cron");
  });
});
