"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HealthCheck } from "@/server/databases/schemas";

/**
 * Response time of recent checks, oldest first; failed checks are drawn as red dots at zero so an
 * outage reads as a gap with markers. The table below it carries the same data in text.
 */
export default function HealthChart({ history }: { history: HealthCheck[] }) {
  if (history.length < 2) return <p className="text-sm text-muted-foreground">The chart appears after a few checks.</p>;
  const points = [...history].reverse().map((h) => ({
    at: new Date(h.checked_at).toLocaleTimeString(),
    ms: h.is_healthy ? h.response_time_ms : null,
    failed: h.is_healthy ? null : 0,
  }));
  return (
    <figure aria-label="Response time of recent health checks" className="h-48 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="at" tick={{ fontSize: 11, fill: "var(--muted-foreground)" }} minTickGap={24} />
          <YAxis unit=" ms" tick={{ fontSize: 11, fill: "var(--muted-foreground)" }} allowDecimals={false} />
          <Tooltip
            contentStyle={{ background: "var(--popover)", border: "1px solid var(--border)", borderRadius: "var(--radius)", fontSize: 12 }}
          />
          <Line type="monotone" dataKey="ms" name="response time" stroke="var(--primary)" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          <Line dataKey="failed" name="failed check" stroke="none" dot={{ r: 3, fill: "var(--destructive)" }} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
