import { describe, expect, it } from "vitest";
import { estimateCompletion, progressView } from "./progress";

describe("execution progress", () => {
  it("counts finished targets of every outcome toward completion", () => {
    const view = progressView({
      totalTargets: 8,
      completedTargets: 3,
      failedTargets: 1,
      skippedTargets: 2,
      currentTarget: "shared-eu/tenant_acme",
      estimatedCompletion: null,
    });
    expect(view).toMatchObject({ completion_percentage: 75, remaining_targets: 2, current_target: "shared-eu/tenant_acme" });
  });

  it("an execution without targets is complete", () => {
    const view = progressView({ totalTargets: 0, completedTargets: 0, failedTargets: 0, skippedTargets: 0, currentTarget: null, estimatedCompletion: null });
    expect(view.completion_percentage).toBe(100);
  });

  it("estimates the end from the throughput so far", () => {
    const startedAt = new Date("2025-01-01T00:00:00Z");
    const now = new Date("2025-01-01T00:00:10Z");
    // 10 targets in 10 s: the other 30 need 30 s more.
    expect(estimateCompletion({ startedAt, now, done: 10, total: 40 })).toEqual(new Date("2025-01-01T00:00:40Z"));
    expect(estimateCompletion({ startedAt, now, done: 0, total: 40 })).toBeNull();
    expect(estimateCompletion({ startedAt, now, done: 40, total: 40 })).toBeNull();
    expect(estimateCompletion({ startedAt: null, now, done: 3, total: 40 })).toBeNull();
  });
});
