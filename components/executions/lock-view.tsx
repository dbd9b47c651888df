"use client";

import { Lock } from "lucide-react";
import { useExecutionLocks, type ExecutionLocks } from "@/components/api/get-execution-locks";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDuration } from "./format";
import { blockerLabel, lockModeLabel } from "./lock-words";
import { useNow } from "./use-now";

type TargetLocks = ExecutionLocks["targets"][number];

/**
 * While an execution runs: which running targets wait for a lock on their database, and which
 * sessions hold them up. Sampled from the targets' databases only while targets run (the API
 * reads pg_locks and pg_stat_activity when asked).
 */
export function LockView({ executionId, running }: { executionId: string; running: boolean }) {
  const locks = useExecutionLocks(executionId, running);
  const now = useNow(running);
  if (!running || !locks.data || locks.data.targets.length === 0) return null;
  const waiting = locks.data.targets.filter((t) => t.waiting);
  const problems = locks.data.targets.filter((t) => t.problem);
  const others = locks.data.targets.length - waiting.length;
  return (
    <Card className="min-w-0" data-testid="lock-view">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Lock className="size-4 text-muted-foreground" aria-hidden />
          Lock waits
        </CardTitle>
        <CardDescription aria-live="polite">
          {waiting.length === 0
            ? `${locks.data.targets.length} running target${locks.data.targets.length === 1 ? "" : "s"}, none waiting for a lock.`
            : `${waiting.length} of ${locks.data.targets.length} running target${locks.data.targets.length === 1 ? "" : "s"} waiting for a lock${others ? `; ${others} running freely` : ""}.`}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {waiting.map((t) => (
          <WaitingTarget key={t.target_id} target={t} now={now} />
        ))}
        {problems.length ? (
          <ul className="text-xs text-muted-foreground">
            {[...new Set(problems.map((p) => p.problem))].map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
      </CardContent>
    </Card>
  );
}

function WaitingTarget({ target: t, now }: { target: TargetLocks; now: number }) {
  const since = t.lock?.waiting_since ?? t.session?.query_start ?? null;
  return (
    <section aria-label={`Lock wait of ${t.target}`} className="grid gap-2 rounded-md border border-warning-border bg-warning-soft/40 p-3">
      <p className="text-sm">
        <span className="font-medium">{t.target}</span> waits for <span className="font-mono text-xs">{t.lock ? lockModeLabel(t.lock.mode) : "a lock"}</span>
        {t.lock?.relation ? (
          <>
            {" "}on <span className="font-mono text-xs">{t.lock.relation}</span>
          </>
        ) : t.lock ? (
          ` (${t.lock.type})`
        ) : null}
        {since ? <span className="text-muted-foreground"> · for {formatDuration(now - Date.parse(since))}</span> : null}
        {t.session ? <span className="text-muted-foreground"> · session pid {t.session.pid}</span> : null}
      </p>
      {t.blocked_by.length ? (
        <Table aria-label={`Sessions blocking ${t.target}`}>
          <TableHeader>
            <TableRow>
              <TableHead>Blocked by</TableHead>
              <TableHead>Holds</TableHead>
              <TableHead>State</TableHead>
              <TableHead>Transaction since</TableHead>
              <TableHead>Statement since</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {t.blocked_by.map((b) => (
              <TableRow key={b.pid} data-blocker-pid={b.pid}>
                <TableCell>
                  {blockerLabel(b)}
                  {b.console_target_id ? <span className="block text-xs text-muted-foreground">another target of the console</span> : null}
                </TableCell>
                <TableCell className="font-mono text-xs">
                  {b.held_modes.length ? b.held_modes.map(lockModeLabel).join(", ") : b.waiting_for_mode ? `queued ahead for ${lockModeLabel(b.waiting_for_mode)}` : "—"}
                </TableCell>
                <TableCell>{b.state ?? <span className="text-muted-foreground">not visible</span>}</TableCell>
                <TableCell className="tabular-nums">{b.xact_start ? `${new Date(b.xact_start).toLocaleTimeString()} (${formatDuration(now - Date.parse(b.xact_start))})` : "—"}</TableCell>
                <TableCell className="tabular-nums">{b.query_start ? new Date(b.query_start).toLocaleTimeString() : "—"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-xs text-muted-foreground">PostgreSQL names no blocking session yet (the wait may be ending).</p>
      )}
    </section>
  );
}
