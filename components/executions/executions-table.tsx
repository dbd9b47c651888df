"use client";

import Link from "next/link";
import { isFinished, type ExecutionSummary } from "@/components/api/execution-types";
import { Badge } from "@/components/ui/badge";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { executionTitle } from "./describe-execution";
import { LiveProgressCell, ProgressCell } from "./execution-row-progress";
import { formatDuration, formatTime, shortId } from "./format";

/** Live rows follow their event streams; a page rarely has more than a few running at once. */
const MAX_LIVE_ROWS = 5;

/** Executions, newest first, each row linking to its page. */
export function ExecutionsTable({
  executions,
  label = "Executions",
  compact = false,
}: {
  executions: ExecutionSummary[];
  label?: string;
  /** Fewer columns for narrow panels: who and when go under the title. */
  compact?: boolean;
}) {
  const live = new Set(
    executions
      .filter((e) => !isFinished(e.status))
      .slice(0, MAX_LIVE_ROWS)
      .map((e) => e.id),
  );
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>Execution</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Progress</TableHead>
          {compact ? null : (
            <>
              <TableHead>Started by</TableHead>
              <TableHead>Created</TableHead>
              <TableHead className="text-right">Took</TableHead>
            </>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {executions.map((e) => {
          const running = live.has(e.id);
          return (
            <TableRow key={e.id} data-execution={e.id}>
              <TableCell>
                <Link href={`/executions/${e.id}`} className="font-medium hover:underline">
                  {executionTitle(e)}
                </Link>
                <div className="flex items-center gap-1.5 text-xs text-muted-foreground">
                  <span className="font-mono">{shortId(e.id)}</span>
                  {e.dry_run ? <Badge variant="secondary">dry-run</Badge> : null}
                  {e.awaiting_approval ? <Badge variant="info">awaiting approval</Badge> : null}
                  {compact ? (
                    <span>
                      · {e.executed_by} · {new Date(e.created_at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })}
                    </span>
                  ) : null}
                </div>
              </TableCell>
              <TableCell>
                <StatusBadge kind="execution" status={e.status} />
              </TableCell>
              <TableCell>{running ? <LiveProgressCell summary={e} /> : <ProgressCell summary={e} />}</TableCell>
              {compact ? null : (
                <>
                  <TableCell>{e.executed_by}</TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">{formatTime(e.created_at)}</TableCell>
                  <TableCell className="text-right whitespace-nowrap tabular-nums">
                    {e.started_at && e.completed_at ? formatDuration(Date.parse(e.completed_at) - Date.parse(e.started_at)) : "—"}
                  </TableCell>
                </>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
