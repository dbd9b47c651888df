"use client";

import { FlaskConical, ListChecks, Play } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId } from "react";
import { CopyApiCall } from "@/components/api-call/copy-api-call";
import { tenantMigrateCall } from "@/components/api-call/calls";
import { toast } from "sonner";
import { useTenantMigrations, type TenantMigrations } from "@/components/api/get-tenant-migrations";
import { useMigrateTenant } from "@/components/api/migrate-tenant";
import { BaselineDialog } from "@/components/adoption/baseline-dialog";
import { PlanStatusBadge } from "@/components/plan/plan-status-badge";
import { useCan } from "@/components/providers/viewer-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDuration, formatTime, shortId } from "./format";
import { toastExecutionStarted } from "./execution-toasts";
import { describeExecutionError } from "./plan-changed";
import { RollbackTenantDialog } from "./rollback-tenant-dialog";

/**
 * One tenant's migrations for its detail page: what is applied or baselined (and whether a file
 * drifted since), what is pending and what blocks it; with migrations:execute, rehearse or migrate
 * this tenant alone or roll it back to a version; with migrations:manage, baseline a schema that
 * already holds its objects.
 *
 *   <TenantDetail id={id}><TenantMigrationsPanel tenantId={id} /></TenantDetail>
 */
export function TenantMigrationsPanel({ tenantId }: { tenantId: string }) {
  const query = useTenantMigrations(tenantId);
  return (
    <Card className="min-w-0" aria-labelledby="tenant-migrations-title">
      <CardHeader>
        <CardTitle id="tenant-migrations-title" className="flex flex-wrap items-center gap-2">
          Migrations
          {query.data ? <PlanStatusBadge status={query.data.target.status} /> : null}
          {query.data?.migration_state?.last_run?.status === "failed" ? <Badge variant="destructive">Last run failed</Badge> : null}
        </CardTitle>
        <CardDescription>
          {query.data
            ? describeCounts(query.data)
            : "Applied and pending versions of this tenant's schema."}
        </CardDescription>
        {query.data ? (
          <CardAction>
            <TenantActions data={query.data} />
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-5">
        {query.isError ? (
          <ErrorState title="The tenant's migrations could not be read" message={query.error.message} onRetry={() => query.refetch()} />
        ) : query.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : (
          <Body data={query.data} />
        )}
      </CardContent>
    </Card>
  );
}

function Body({ data }: { data: TenantMigrations }) {
  const t = data.target;
  const lastRun = data.migration_state?.last_run;
  return (
    <>
      {lastRun?.status === "failed" ? <LastRunFailed run={lastRun} /> : null}
      {t.blocked_reasons.length || t.error ? (
        <ul className="grid gap-1 rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground">
          {t.error ? <li>{t.error.message}</li> : null}
          {t.blocked_reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <section aria-labelledby="pending-heading" className="grid grid-cols-1 gap-2">
        <h3 id="pending-heading" className="text-sm font-semibold">
          Pending
        </h3>
        {data.pending.length ? (
          <ol className="flex flex-wrap gap-1.5" aria-label="Pending migrations">
            {data.pending.map((m) => (
              <li key={m.id} className="flex min-w-0 flex-wrap items-center gap-1">
                <Link
                  href={`/catalog?file=${encodeURIComponent(m.id)}`}
                  className="rounded border bg-card px-1.5 py-0.5 font-mono text-xs break-all hover:underline"
                >
                  {m.id}
                </Link>
                {!m.transactional ? <Badge variant="info">no transaction</Badge> : null}
                {!m.has_down ? <Badge variant="warning" title="No down part: a rollback refuses it">irreversible</Badge> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-muted-foreground">Nothing pending: this tenant is up to date with the catalog.</p>
        )}
      </section>
      <section aria-labelledby="applied-heading" className="grid grid-cols-1 gap-2">
        <h3 id="applied-heading" className="text-sm font-semibold">
          Applied
        </h3>
        {data.applied.length === 0 ? (
          <EmptyState title="Nothing applied yet" description="This schema has no migration history." className="py-6" />
        ) : (
          <Table aria-label="Applied migrations">
            <TableHeader>
              <TableRow>
                <TableHead>Version</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Applied</TableHead>
                <TableHead className="text-right">Took</TableHead>
                <TableHead>By</TableHead>
                <TableHead>Execution</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.applied.map((a) => (
                <TableRow key={a.version}>
                  <TableCell>
                    {a.id ? (
                      <Link href={`/catalog?file=${encodeURIComponent(a.id)}`} className="font-mono text-[13px] hover:underline">
                        {a.id}
                      </Link>
                    ) : (
                      <span className="font-mono text-[13px]">
                        {a.version}_{a.name} <span className="text-xs text-muted-foreground">(no longer in the catalog)</span>
                      </span>
                    )}
                    {a.drift ? (
                      <Badge variant="warning" className="ml-2">
                        drift: file changed
                      </Badge>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <Badge
                      variant={STATE_BADGE[a.state]}
                      title={a.state === "baselined" ? "Marked as applied by an operator, never run by the console" : undefined}
                    >
                      {a.state}
                    </Badge>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">{formatTime(a.applied_at)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatDuration(a.duration_ms)}</TableCell>
                  <TableCell>{a.applied_by ?? "—"}</TableCell>
                  <TableCell>
                    {a.execution_id ? (
                      <Link href={`/executions/${a.execution_id}`} className="font-mono text-xs text-primary hover:underline">
                        {shortId(a.execution_id)}
                      </Link>
                    ) : a.state === "baselined" ? (
                      <span className="text-xs text-muted-foreground">baseline (not run)</span>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </>
  );
}

function describeCounts(data: TenantMigrations): string {
  const baselined = data.applied.filter((a) => a.state === "baselined").length;
  return `${data.applied.length} applied${baselined ? ` (${baselined} baselined)` : ""}, ${data.pending.length} pending in ${data.tenant.connection_name}/${data.tenant.schema_name}.`;
}

const STATE_BADGE = { applied: "success", baselined: "info", started: "warning", failed: "destructive" } as const;

function TenantActions({ data }: { data: TenantMigrations }) {
  const canBaseline = useCan("migrations.baseline");
  const baseline =
    canBaseline && data.pending.length > 0 ? (
      <BaselineDialog
        scope={{ scope: "single", database_id: data.tenant.database_id, tenant_id: data.tenant.id }}
        what={data.tenant.schema_name}
        versions={data.pending.map((m) => ({ version: m.version, ids: [m.id] }))}
      />
    ) : null;
  return (
    <div className="flex flex-wrap gap-2">
      {baseline}
      <RollbackTenantDialog data={data} />
      <MigrateActions data={data} />
    </div>
  );
}

/** Why this tenant cannot be migrated as it stands, or null when it can. */
function notReadyReason(data: TenantMigrations): string | null {
  const t = data.target;
  if (t.status === "unreachable") return "Its database cannot be read: nothing can run until it answers again.";
  if (t.status !== "blocked") return null;
  return data.providers_needed
    ? "Blocked: it needs migrations its providers have not applied (see above). Plan it with what it needs."
    : "Blocked: settle what is listed above first.";
}

function MigrateActions({ data }: { data: TenantMigrations }) {
  const allowed = useCan("tenants.migrate");
  const router = useRouter();
  const migrate = useMigrateTenant(data.tenant.id);
  const reasonId = useId();
  if (!allowed || data.pending.length === 0 || data.tenant.status !== "active") return null;
  const reason = notReadyReason(data);

  const run = async (dryRun: boolean) => {
    try {
      const execution = await migrate.mutateAsync({ dry_run: dryRun, plan_fingerprint: data.fingerprint });
      toastExecutionStarted(
        execution.id,
        dryRun ? "Rehearsal started" : execution.awaiting_approval ? "Waiting for a second person to approve" : "Migration started",
        { description: data.tenant.slug },
      );
      router.push(`/executions/${execution.id}`);
    } catch (error) {
      const e = describeExecutionError(error);
      toast.error(e.title, { description: e.message });
      throw error;
    }
  };

  if (reason) {
    return (
      <div className="grid justify-items-end gap-1.5">
        <div className="flex flex-wrap justify-end gap-2">
          {data.providers_needed ? (
            <Button size="sm" asChild>
              <Link href={`/plan?scope=tenant&tenant_ids=${encodeURIComponent(data.tenant.id)}&include_providers=true`}>
                <ListChecks aria-hidden />
                Plan with what it needs
              </Link>
            </Button>
          ) : null}
          <Button variant="outline" size="sm" disabled aria-describedby={reasonId}>
            <FlaskConical aria-hidden />
            Dry-run
          </Button>
          <Button variant="outline" size="sm" disabled aria-describedby={reasonId}>
            <Play aria-hidden />
            Migrate this tenant
          </Button>
        </div>
        <p id={reasonId} className="max-w-sm text-right text-xs text-muted-foreground" data-testid="tenant-not-ready">
          {reason}
        </p>
      </div>
    );
  }

  return (
    <div className="flex flex-wrap gap-2">
      <CopyApiCall
        calls={[
          { title: "Dry-run this tenant", call: tenantMigrateCall(data.tenant.id, data.fingerprint, true) },
          { title: "Migrate this tenant", call: tenantMigrateCall(data.tenant.id, data.fingerprint, false) },
        ]}
        permission="migrations:execute"
      />
      <Button size="sm" onClick={() => void run(true).catch(() => {})} disabled={migrate.isPending}>
        <FlaskConical aria-hidden />
        Dry-run
      </Button>
      <ConfirmDialog
        trigger={
          <Button variant="outline" size="sm">
            <Play aria-hidden />
            Migrate this tenant
          </Button>
        }
        title={`Migrate ${data.tenant.name}?`}
        description={`${data.pending.length} pending migration${data.pending.length === 1 ? "" : "s"} are applied to ${data.tenant.schema_name}, in this order.`}
        confirmLabel="Migrate"
        onConfirm={() => run(false)}
      >
        <ol className="grid max-h-48 list-decimal gap-0.5 overflow-y-auto pl-5 font-mono text-xs">
          {data.pending.map((m) => (
            <li key={m.id}>{m.id}</li>
          ))}
        </ol>
      </ConfirmDialog>
    </div>
  );
}

type LastRun = NonNullable<NonNullable<TenantMigrations["migration_state"]>["last_run"]>;

/** The last execution failed here: its error where the operator looks first, with the way to it. */
function LastRunFailed({ run }: { run: LastRun }) {
  const e = run.error;
  return (
    <section
      aria-labelledby="last-run-heading"
      className="grid gap-1 rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground"
    >
      <h3 id="last-run-heading" className="font-semibold">
        The last {run.kind === "rollback" ? "rollback" : "execution"} failed on this tenant ({formatTime(run.at)})
      </h3>
      {e ? (
        <p className="break-words">
          {e.code ? <span className="font-mono">{e.code}</span> : null}
          {e.code ? " · " : ""}
          {e.message}
          {e.file ? (
            <span className="font-mono">
              {" "}
              ({e.file}
              {e.line ? `:${e.line}` : ""})
            </span>
          ) : null}
        </p>
      ) : null}
      <Link href={`/executions/${run.execution_id}`} className="w-fit underline underline-offset-2">
        Execution {shortId(run.execution_id)}
      </Link>
    </section>
  );
}
