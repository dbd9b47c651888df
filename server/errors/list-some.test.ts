import { describe, expect, it } from "vitest";
import { firstOf, listSome } from "./list-some";

describe("listSome", () => {
  it("names short lists whole and long ones by their first items and a count", () => {
    expect(listSome(["a", "b"])).toBe("a, b");
    expect(listSome(["a", "b", "c", "d", "e"])).toBe("a, b, c, d, e");
    const ids = Array.from({ length: 10_000 }, (_, i) => `id-${i}`);
    expect(listSome(ids)).toBe("id-0, id-1, id-2, id-3, id-4 and 9,995 more");
    expect(firstOf(ids)).toHaveLength(20);
  });
});
