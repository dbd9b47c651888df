import { describe, expect, it } from "vitest";
import { compareVersions, versionKey, VersionSet } from "./versions";

describe("versions", () => {
  it("order as numbers, whatever their width", () => {
    const sorted = ["10", "9", "0002", "1", "20240101120000", "100"].sort(compareVersions);
    expect(sorted).toEqual(["1", "0002", "9", "10", "100", "20240101120000"]);
  });

  it("are the same version with or without leading zeros", () => {
    expect(versionKey("0001")).toBe("1");
    expect(versionKey("0000")).toBe("0");
    expect(compareVersions("1", "0001")).toBe(0);
  });

  it("put a version that is not a number (written by another tool) after every number", () => {
    expect(["v2", "3", "10"].sort(compareVersions)).toEqual(["3", "10", "v2"]);
  });

  it("are looked up in a history the catalog's way", () => {
    const recorded = new VersionSet(["1", "0010"]);
    expect(recorded.has("0001")).toBe(true);
    expect(recorded.has("10")).toBe(true);
    expect(recorded.has("2")).toBe(false);
  });
});
