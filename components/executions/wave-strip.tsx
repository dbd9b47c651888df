"use client";

import { OctagonAlert } from "lucide-react";
import type { ExecutionDetail } from "@/components/api/execution-types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatRelative } from "./format";
import { useNow } from "./use-now";

type Rollout = NonNullable<ExecutionDetail["rollout"]>;
type Wave = Rollout["waves"][number];

const WAVE_LOOK: Record<Wave["status"], { label: string; variant: BadgeVariant }> = {
  pending: { label: "Waiting", variant: "secondary" },
  soaking: { label: "Soaking", variant: "info" },
  running: { label: "Running", variant: "info" },
  completed: { label: "Completed", variant: "success" },
  halted: { label: "Halted", variant: "destructive" },
  skipped: { label: "Not run", variant: "outline" },
};

/** What the halt rule allows, in words. */
export function haltRuleWords(rule: Rollout["halt_rule"]): string {
  const parts = [
    rule.max_failed_targets !== null ? `more than ${rule.max_failed_targets} failed target${rule.max_failed_targets === 1 ? "" : "s"}` : null,
    rule.max_failed_percent !== null ? `more than ${rule.max_failed_percent} % failed` : null,
  ].filter(Boolean);
  return parts.length ? `halts a wave at ${parts.join(" or ")}` : "never halts";
}

/**
 * A waved rollout as a strip of waves, in order, each with its state and counts; the halt (and its
 * reason) above it. Kept current by the execution's event stream (wave_started, execution_halted,
 * execution_resumed, and each target's end counted into its wave).
 */
export function WaveStrip({ execution }: { execution: ExecutionDetail }) {
  const rollout = execution.rollout;
  const soaking = !!rollout?.soak_seconds && rollout.waves.some((w) => w.starts_at && w.status === "running");
  const now = useNow(soaking || execution.status === "in_progress", 1000);
  if (!rollout) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Waves</CardTitle>
        <p className="text-sm text-muted-foreground">
          {rollout.waves.length} wave{rollout.waves.length === 1 ? "" : "s"}
          {rollout.soak_seconds ? `, ${rollout.soak_seconds} s soak between them` : ""}; the rule {haltRuleWords(rollout.halt_rule)}.
        </p>
      </CardHeader>
      <CardContent className="grid gap-3">
        {rollout.halted && execution.status === "halted" ? (
          <div role="alert" data-testid="halt-reason" className="flex gap-2.5 rounded-md border border-destructive-border bg-destructive-soft px-4 py-3 text-sm text-destructive-soft-foreground">
            <OctagonAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            <div className="grid gap-1">
              <p className="font-medium">Rollout halted in wave {rollout.halted.wave + 1}</p>
              <p>{rollout.halted.reason}. No new target starts until an operator resumes it or rolls it back.</p>
            </div>
          </div>
        ) : null}
        <ol className="flex flex-wrap gap-2" aria-label="Waves" data-testid="wave-strip">
          {rollout.waves.map((w) => {
            const status = rollout.soak_seconds > 0 && w.status === "running" && w.starts_at && Date.parse(w.starts_at) > now ? "soaking" : w.status;
            const look = WAVE_LOOK[status];
            const finished = w.succeeded + w.failed + w.skipped;
            return (
              <li
                key={w.index}
                data-testid={`wave-${w.index}`}
                data-status={status}
                aria-current={w.index === rollout.current_wave && execution.status !== "completed" ? "step" : undefined}
                className="grid min-w-36 gap-1 rounded-md border px-3 py-2 text-sm aria-[current=step]:border-primary"
              >
                <span className="flex items-center justify-between gap-2">
                  <span className="font-medium">
                    {w.index + 1}. {w.label}
                  </span>
                  <Badge variant={look.variant}>{look.label}</Badge>
                </span>
                <span className="text-xs text-muted-foreground">
                  {finished}/{w.total} done · {w.succeeded} succeeded
                  {w.failed ? ` · ${w.failed} failed` : ""}
                  {w.skipped ? ` · ${w.skipped} skipped` : ""}
                </span>
                {status === "soaking" ? <span className="text-xs text-muted-foreground">starts {formatRelative(w.starts_at, now)}</span> : null}
              </li>
            );
          })}
        </ol>
        {rollout.resumes.length ? (
          <p className="text-xs text-muted-foreground">
            Resumed {rollout.resumes.map((r) => `by ${r.by} in wave ${r.wave + 1} (${r.retried} retried)`).join("; ")}.
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
