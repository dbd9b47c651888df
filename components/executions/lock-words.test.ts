import { describe, expect, it } from "vitest";
import { blockerLabel, lockModeLabel } from "./lock-words";

describe("lock words", () => {
  it("name modes as LOCK TABLE does", () => {
    expect(lockModeLabel("AccessExclusiveLock")).toBe("ACCESS EXCLUSIVE");
    expect(lockModeLabel("ShareRowExclusiveLock")).toBe("SHARE ROW EXCLUSIVE");
    expect(lockModeLabel("ExclusiveLock")).toBe("EXCLUSIVE");
  });

  it("describe a blocker by its pid, application and user, or as a prepared transaction", () => {
    expect(blockerLabel({ pid: 4242, application_name: "nightly-report", user: "etl" })).toBe("pid 4242 (“nightly-report”, user etl)");
    expect(blockerLabel({ pid: 7, application_name: null, user: null })).toBe("pid 7");
    expect(blockerLabel({ pid: 0, application_name: null, user: null })).toBe("a prepared transaction");
  });
});
