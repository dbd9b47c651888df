import { describe, expect, it } from "vitest";
import { EXECUTION_STATUSES, TARGET_STATUSES } from "@/server/domain/executions";
import { statusAppearance } from "./status";

describe("statusAppearance", () => {
  it("gives every execution and target status its own words, not just a colour", () => {
    for (const [kind, statuses] of [
      ["execution", EXECUTION_STATUSES],
      ["target", TARGET_STATUSES],
    ] as const) {
      const labels = statuses.map((status) => statusAppearance(kind, status).label);
      expect(labels.every((label) => /^[A-Z][a-z ]+$/.test(label))).toBe(true);
      expect(new Set(labels).size).toBe(statuses.length);
    }
  });

  it("shows outcomes in the tone an operator expects", () => {
    expect(statusAppearance("execution", "completed")).toMatchObject({ label: "Completed", variant: "success" });
    expect(statusAppearance("execution", "failed")).toMatchObject({ label: "Failed", variant: "destructive" });
    expect(statusAppearance("execution", "in_progress")).toMatchObject({ label: "In progress", variant: "info" });
    expect(statusAppearance("execution", "rolled_back")).toMatchObject({ label: "Rolled back", variant: "warning" });
    expect(statusAppearance("target", "succeeded").variant).toBe("success");
    expect(statusAppearance("target", "failed").variant).toBe("destructive");
    expect(statusAppearance("migration", "would_fail")).toMatchObject({ label: "Would fail", variant: "destructive" });
  });

  it("shows a status it does not know in its own words instead of failing", () => {
    expect(statusAppearance("execution", "awaiting_approval")).toMatchObject({
      label: "Awaiting approval",
      variant: "outline",
    });
    expect(statusAppearance("target", "toString").label).toBe("ToString");
  });
});
