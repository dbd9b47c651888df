import { describe, expect, it } from "vitest";
import { flattenDetails } from "./flatten-details";

describe("flattenDetails", () => {
  it("turns nested health details into readable rows", () => {
    expect(
      flattenDetails({
        schema: { applied: 2, expected: 2 },
        issuer: "http://realm",
        live: true,
        last_seen_at: null,
        load_average: [0.5, 0.25],
      }),
    ).toEqual([
      { label: "schema · applied", value: "2" },
      { label: "schema · expected", value: "2" },
      { label: "issuer", value: "http://realm" },
      { label: "live", value: "yes" },
      { label: "last seen at", value: "—" },
      { label: "load average", value: "0.5, 0.25" },
    ]);
  });

  it("reads a small group of figures below the top level as one row", () => {
    expect(flattenDetails({ by_tier: { admin: { total: 1, healthy: 1 }, tenant: { total: 0, healthy: 0 } } })).toEqual([
      { label: "by tier · admin", value: "total 1, healthy 1" },
      { label: "by tier · tenant", value: "total 0, healthy 0" },
    ]);
  });

  it("stops at the depth limit with compact JSON", () => {
    expect(flattenDetails({ a: { b: { c: { d: 1 }, e: [{ f: 1 }] } } }, 2)).toEqual([{ label: "a · b", value: '{"c":{"d":1},"e":[{"f":1}]}' }]);
  });
});
