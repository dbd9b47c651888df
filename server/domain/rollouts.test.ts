import { describe, expect, it } from "vitest";
import { assignWaves, haltReason, type WaveState } from "./rollouts";

const tenants = (n: number) => Array.from({ length: n }, (_, i) => ({ tier: "tenant", tenantId: `t${i}` }));

const wave = (w: Partial<WaveState>): WaveState => ({
  label: "10 %",
  total: 10,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  acceptedFailures: 0,
  status: "running",
  startsAt: null,
  completedAt: null,
  ...w,
});

describe("assignWaves", () => {
  it("[canary, 10 %, 50 %, rest] over 40 tenants: 1, 4, 20 and 15, percentages of the non-canary tenants", () => {
    const { waveOf, labels } = assignWaves(
      tenants(40),
      [{ type: "canary", tenant_ids: ["t7"] }, { type: "percent", percent: 10 }, { type: "percent", percent: 50 }, { type: "rest" }],
      new Set(["t7"]),
    );
    expect(labels).toEqual(["canary", "10 %", "50 %", "rest"]);
    const sizes = labels.map((_, w) => waveOf.filter((x) => x === w).length);
    expect(sizes).toEqual([1, 4, 20, 15]);
    expect(waveOf[7]).toBe(0);
    // Plan order within the rest: the first non-canary tenants go first.
    expect(waveOf.slice(0, 5)).toEqual([1, 1, 1, 1, 2]);
  });

  it("puts admin, shared and analytics targets in the first wave, with the canaries", () => {
    const targets = [{ tier: "shared", tenantId: null }, { tier: "admin", tenantId: null }, ...tenants(5)];
    const { waveOf, labels } = assignWaves(targets, [{ type: "count", count: 2 }, { type: "rest" }], new Set());
    expect(labels).toEqual(["2 targets", "rest"]);
    expect(waveOf).toEqual([0, 0, 0, 0, 1, 1, 1]);
  });

  it("adds a last `rest` wave for tenants the listed waves leave, and drops waves that come out empty", () => {
    const { waveOf, labels } = assignWaves(tenants(3), [{ type: "canary", tags: ["x"] }, { type: "count", count: 1 }], new Set());
    expect(labels).toEqual(["1 target", "rest"]);
    expect(waveOf).toEqual([0, 1, 1]);
  });
});

describe("haltReason", () => {
  it("halts when failures pass the count, not when they reach it", () => {
    const rule = { maxFailedTargets: 1, maxFailedPercent: null };
    expect(haltReason(wave({ failed: 1 }), 1, rule)).toBeNull();
    expect(haltReason(wave({ failed: 2 }), 1, rule)).toBe("2 of 10 targets failed in wave 2 (10 %), more than the 1 the halt rule allows");
  });

  it("halts by the share of the wave's targets", () => {
    const rule = { maxFailedTargets: null, maxFailedPercent: 25 };
    expect(haltReason(wave({ total: 8, failed: 2 }), 0, rule)).toBeNull();
    expect(haltReason(wave({ total: 8, failed: 3 }), 0, rule)).toContain("3 of 8 targets (37.5 %) failed in wave 1");
  });

  it("counts only failures after those an operator accepted on resume", () => {
    const rule = { maxFailedTargets: 0, maxFailedPercent: null };
    expect(haltReason(wave({ failed: 2, acceptedFailures: 2 }), 0, rule)).toBeNull();
    expect(haltReason(wave({ failed: 3, acceptedFailures: 2 }), 0, rule)).not.toBeNull();
  });
});
