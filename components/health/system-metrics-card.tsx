import type { UseQueryResult } from "@tanstack/react-query";
import type { SystemMetrics } from "@/components/api/get-system-metrics";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Stat } from "@/components/plan/stat";

const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;

/** This console process: memory, CPU and connection pools. */
export function SystemMetricsCard({ query }: { query: UseQueryResult<SystemMetrics> }) {
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>This console process</CardTitle>
        <CardDescription>Memory, CPU and database pools of the instance that answered (Prometheus has the rest at /api/metrics).</CardDescription>
      </CardHeader>
      <CardContent>
        {query.isError ? (
          <ErrorState title="Metrics could not be read" message={query.error.message} onRetry={() => query.refetch()} />
        ) : query.isPending ? (
          <Skeleton className="h-24 w-full" />
        ) : (
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 xl:grid-cols-6">
            <Stat label="Memory (RSS)" value={mb(query.data.process.memory.rss_bytes)} hint={`heap ${mb(query.data.process.memory.heap_used_bytes)}`} />
            <Stat
              label="CPU"
              value={`${query.data.process.cpu.percent_since_start.toFixed(1)}%`}
              hint={`load ${query.data.process.cpu.load_average.map((l) => l.toFixed(2)).join(" ")} · ${query.data.process.cpu.cores} cores`}
            />
            <Stat label="Uptime" value={`${Math.round(query.data.process.uptime_seconds / 60)} min`} hint={`Node ${query.data.process.node_version}`} />
            <Stat
              label="Control-plane pool"
              value={query.data.control_plane_pool ? `${query.data.control_plane_pool.total - query.data.control_plane_pool.idle} / ${query.data.control_plane_pool.max}` : "—"}
              hint={query.data.control_plane_pool ? `${query.data.control_plane_pool.waiting} waiting` : undefined}
            />
            <Stat label="Fleet pools" value={query.data.fleet_pools.pools} hint={`${query.data.fleet_pools.active} active, ${query.data.fleet_pools.idle} idle sessions`} />
            <Stat label="Fleet waiting" value={query.data.fleet_pools.waiting} tone={query.data.fleet_pools.waiting ? "warning" : "muted"} />
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
