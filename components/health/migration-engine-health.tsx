import type { UseQueryResult } from "@tanstack/react-query";
import Link from "next/link";
import type { MigrationsHealth } from "@/components/api/get-migrations-health";
import { Badge } from "@/components/ui/badge";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Stat } from "@/components/plan/stat";
import { ServiceStatusBadge } from "./service-status-badge";

const ENGINE_STATUS = { ok: "healthy", degraded: "degraded", down: "unhealthy" } as const;

/** Can migrations run right now: the catalog, the workers and the job queue. */
export function MigrationEngineHealth({ query }: { query: UseQueryResult<MigrationsHealth> }) {
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>Migration engine</CardTitle>
        <CardDescription>The catalog, the workers (by their heartbeats) and the job queue.</CardDescription>
        {query.data ? (
          <CardAction>
            <ServiceStatusBadge status={ENGINE_STATUS[query.data.status]} />
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        {query.isError ? (
          <ErrorState title="Engine health could not be read" message={query.error.message} onRetry={() => query.refetch()} />
        ) : query.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : (
          <EngineBody health={query.data} />
        )}
      </CardContent>
    </Card>
  );
}

function EngineBody({ health: h }: { health: MigrationsHealth }) {
  return (
    <>
      <p className="text-sm">
        {h.engine.catalog_loaded ? (
          <>
            Catalog loaded: {h.engine.migrations} migrations from <span className="font-mono text-xs">{h.engine.dir}</span>
            {h.engine.loaded_at ? `, ${new Date(h.engine.loaded_at).toLocaleString()}` : ""}.
          </>
        ) : (
          <span className="text-destructive-soft-foreground">
            The catalog cannot be loaded{h.engine.error?.file ? ` (${h.engine.error.file}${h.engine.error.line ? `:${h.engine.error.line}` : ""})` : ""}:{" "}
            {h.engine.error?.message ?? "unknown error"}
          </span>
        )}
      </p>
      {h.engine.problems.length ? (
        <div className="grid gap-1 rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground">
          <p>
            {h.engine.problems.length} file{h.engine.problems.length === 1 ? "" : "s"} did not load; the {h.engine.broken_tiers.join(", ")}{" "}
            tier{h.engine.broken_tiers.length === 1 ? " is" : "s are"} not planned until{" "}
            {h.engine.problems.length === 1 ? "it is" : "they are"} fixed (
            <Link href="/catalog" className="underline">
              catalog
            </Link>
            ).
          </p>
          <ul className="grid gap-0.5 font-mono text-xs">
            {h.engine.problems.slice(0, 5).map((p) => (
              <li key={`${p.file}:${p.line}:${p.code}`}>
                {p.file}:{p.line}: {p.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 xl:grid-cols-6">
        <Stat label="Workers alive" value={h.workers_alive} tone={h.workers_alive ? "success" : "warning"} />
        <Stat label="Executions running" value={h.executions.in_progress} />
        <Stat label="Awaiting approval" value={h.executions.awaiting_approval} tone={h.executions.awaiting_approval ? "info" : "muted"} />
        <Stat label="Jobs ready" value={h.queue?.ready ?? "—"} hint={h.queue?.oldest_ready_age_seconds ? `oldest ${Math.round(h.queue.oldest_ready_age_seconds)} s` : undefined} />
        <Stat label="Jobs running" value={h.queue?.running ?? "—"} />
        <Stat label="Jobs failed" value={h.queue?.failed ?? "—"} tone={h.queue?.failed ? "destructive" : "muted"} />
      </dl>
      {h.workers.length ? (
        <Table aria-label="Workers">
          <TableHeader>
            <TableRow>
              <TableHead>Worker</TableHead>
              <TableHead>Kind</TableHead>
              <TableHead className="text-right">Jobs</TableHead>
              <TableHead>Version</TableHead>
              <TableHead>Last seen</TableHead>
              <TableHead>State</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {h.workers.map((w) => (
              <TableRow key={w.id}>
                <TableCell className="font-mono text-xs">
                  {w.hostname}:{w.pid}
                </TableCell>
                <TableCell>{w.kind}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {w.running_jobs} / {w.concurrency}
                </TableCell>
                <TableCell>{w.version}</TableCell>
                <TableCell className="text-muted-foreground">{new Date(w.last_seen_at).toLocaleTimeString()}</TableCell>
                <TableCell>{w.alive ? <Badge variant="success">alive</Badge> : <Badge variant="warning">stale</Badge>}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-sm text-muted-foreground">No worker has reported in yet.</p>
      )}
    </>
  );
}
