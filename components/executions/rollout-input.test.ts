import { describe, expect, it } from "vitest";
import { EMPTY_ROLLOUT_FORM, parseRolloutForm } from "./rollout-input";

describe("parseRolloutForm", () => {
  it("canary ids and tags, then percentages, a count and the rest", () => {
    const id = "3f1c2a4e-0b7d-4c1e-9a55-0c6e2f9b1d20";
    expect(parseRolloutForm({ ...EMPTY_ROLLOUT_FORM, canaries: `${id}, early-adopters`, waves: "10%, 25, rest", maxFailedPercent: "20" })).toEqual({
      rollout: {
        waves: [{ type: "canary", tenant_ids: [id], tags: ["early-adopters"] }, { type: "percent", percent: 10 }, { type: "count", count: 25 }, { type: "rest" }],
        soak_seconds: 0,
        halt: { max_failed_percent: 20 },
      },
    });
  });

  it("names what it cannot read", () => {
    expect(parseRolloutForm({ ...EMPTY_ROLLOUT_FORM, waves: "10%, rest, 5" })).toEqual({ errors: { waves: expect.stringContaining("“rest”") } });
    expect(parseRolloutForm({ ...EMPTY_ROLLOUT_FORM, waves: "0%" })).toMatchObject({ errors: { waves: expect.any(String) } });
    expect(parseRolloutForm({ ...EMPTY_ROLLOUT_FORM, soakSeconds: "-1", maxFailedTargets: "1.5" })).toMatchObject({
      errors: { soakSeconds: expect.any(String), maxFailedTargets: expect.any(String) },
    });
    expect(parseRolloutForm({ ...EMPTY_ROLLOUT_FORM, waves: "" })).toMatchObject({ errors: { waves: "name canary tenants or at least one wave" } });
  });
});
