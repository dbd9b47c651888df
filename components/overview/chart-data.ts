import type { ExecutionSummary } from "@/components/api/execution-types";

export type ChartOutcome = "completed" | "failed" | "other";
export interface ChartDay {
  day: string;
  label: string;
  completed: number;
  failed: number;
  other: number;
}

/**
 * Executions per day for the last `days` days (local time), by outcome: completed, failed, and
 * everything else (running, cancelled, rolled back). Days without executions are kept, as zeros.
 */
export function executionsPerDay(executions: readonly ExecutionSummary[], now: Date, days = 14): ChartDay[] {
  const key = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const out: ChartDay[] = [];
  const index = new Map<string, ChartDay>();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i);
    const row = { day: key(d), label: d.toLocaleDateString(undefined, { month: "short", day: "numeric" }), completed: 0, failed: 0, other: 0 };
    out.push(row);
    index.set(row.day, row);
  }
  for (const e of executions) {
    const row = index.get(key(new Date(e.created_at)));
    if (!row) continue;
    if (e.status === "completed") row.completed++;
    else if (e.status === "failed") row.failed++;
    else row.other++;
  }
  return out;
}
