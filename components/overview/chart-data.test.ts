import { describe, expect, it } from "vitest";
import type { ExecutionSummary } from "@/components/api/execution-types";
import { executionsPerDay } from "./chart-data";

const at = (iso: string, status: ExecutionSummary["status"]) => ({ created_at: iso, status }) as ExecutionSummary;

describe("executionsPerDay", () => {
  const now = new Date(2026, 0, 14, 12, 0);
  it("counts each day's executions by outcome, keeping empty days", () => {
    const days = executionsPerDay(
      [
        at(new Date(2026, 0, 14, 9).toISOString(), "completed"),
        at(new Date(2026, 0, 14, 10).toISOString(), "failed"),
        at(new Date(2026, 0, 12, 10).toISOString(), "rolled_back"),
        at(new Date(2025, 11, 1).toISOString(), "completed"),
      ],
      now,
    );
    expect(days).toHaveLength(14);
    expect(days.at(-1)).toMatchObject({ completed: 1, failed: 1, other: 0 });
    expect(days.at(-3)).toMatchObject({ completed: 0, failed: 0, other: 1 });
    expect(days.slice(0, 11).every((d) => d.completed + d.failed + d.other === 0)).toBe(true);
  });
});
