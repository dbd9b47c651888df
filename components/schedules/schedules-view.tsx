"use client";

import { CalendarClock, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useDeleteSchedule } from "@/components/api/delete-schedule";
import { ApiError } from "@/components/api/fetch-json";
import { useSchedules, type Schedule } from "@/components/api/list-schedules";
import { describeScope } from "@/components/api/scope-request";
import { useUpdateSchedule } from "@/components/api/update-schedule";
import { scopeOf } from "@/components/executions/describe-execution";
import { shortId } from "@/components/executions/format";
import { useCan } from "@/components/providers/viewer-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";
import { describeCron } from "./describe-cron";
import { formatIn } from "./schedule-timing";
import { ScheduleForm } from "./schedule-form";

/** Schedules: scopes that execute later, on a cron or once, with their next runs. */
export function SchedulesView() {
  const canManage = useCan("schedules.manage");
  const list = useSchedules();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Schedules"
        description="Scopes that plan and execute on their own: on a cron expression in a time zone, or once at a set time."
        actions={
          canManage ? (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden />
              New schedule
            </Button>
          ) : null
        }
      />
      {list.isError ? (
        <ErrorState title="Schedules could not be loaded" message={list.error.message} onRetry={() => list.refetch()} />
      ) : list.isPending ? (
        <Skeleton className="h-64 w-full" />
      ) : list.data.schedules.length === 0 ? (
        <EmptyState
          icon={CalendarClock}
          title="No schedules yet"
          description="A schedule executes (or rehearses) a scope at its time, exactly once even with several console instances."
          action={canManage ? <Button onClick={() => setCreating(true)}>New schedule</Button> : null}
        />
      ) : (
        <Card className="min-w-0">
          <CardContent className="pt-3">
            <Table aria-label="Schedules">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Scope</TableHead>
                  <TableHead>When</TableHead>
                  <TableHead>Next runs</TableHead>
                  <TableHead>Last run</TableHead>
                  <TableHead>Enabled</TableHead>
                  {canManage ? <TableHeadSrOnly>Actions</TableHeadSrOnly> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.data.schedules.map((s) => (
                  <ScheduleRow key={s.id} schedule={s} canManage={canManage} />
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent className="sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>New schedule</DialogTitle>
            <DialogDescription>At its time the schedule plans its scope and executes it, as schedule:&lt;name&gt;.</DialogDescription>
          </DialogHeader>
          {creating ? <ScheduleForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}

function ScheduleRow({ schedule: s, canManage }: { schedule: Schedule; canManage: boolean }) {
  const update = useUpdateSchedule();
  const remove = useDeleteSchedule();
  const toggle = async (enabled: boolean) => {
    try {
      await update.mutateAsync({ id: s.id, changes: { enabled } });
      toast.success(`${s.name} ${enabled ? "enabled" : "disabled"}`);
    } catch (error) {
      toast.error(`${s.name} was not ${enabled ? "enabled" : "disabled"}`, { description: error instanceof ApiError ? error.body.message : undefined });
    }
  };
  return (
    <TableRow data-schedule={s.name}>
      <TableCell>
        <div className="font-medium">{s.name}</div>
        <div className="flex gap-1.5 text-xs text-muted-foreground">
          by {s.created_by}
          {s.dry_run ? <Badge variant="secondary">dry-run</Badge> : null}
        </div>
      </TableCell>
      <TableCell>{describeScope(scopeOf(s))}</TableCell>
      <TableCell>
        {s.cron ? (
          <>
            <div>{describeCron(s.cron)}</div>
            <div className="font-mono text-xs text-muted-foreground">
              {s.cron} · {s.timezone}
            </div>
          </>
        ) : (
          <>
            <div>Once</div>
            <div className="text-xs text-muted-foreground">{s.run_at ? new Date(s.run_at).toLocaleString() : "—"}</div>
          </>
        )}
      </TableCell>
      <TableCell>
        {s.next_runs.length ? (
          <ol className="grid gap-0.5 text-xs tabular-nums" aria-label={`Next runs of ${s.name}`}>
            {s.next_runs.slice(0, 3).map((r, i) => (
              <li key={r} className={i === 0 ? "font-medium" : "text-muted-foreground"}>
                {formatIn(new Date(r), s.timezone)}
              </li>
            ))}
          </ol>
        ) : (
          <span className="text-muted-foreground">{s.enabled ? "no further run" : "paused"}</span>
        )}
      </TableCell>
      <TableCell className="text-sm">
        {s.last_run_at ? new Date(s.last_run_at).toLocaleString() : <span className="text-muted-foreground">never</span>}
        {s.last_execution_id ? (
          <Link href={`/executions/${s.last_execution_id}`} className="block font-mono text-xs text-primary hover:underline">
            {shortId(s.last_execution_id)}
          </Link>
        ) : null}
        {s.last_error ? <span className="block text-xs text-destructive-soft-foreground">{s.last_error}</span> : null}
      </TableCell>
      <TableCell>
        {canManage ? (
          <Switch checked={s.enabled} onCheckedChange={(v) => void toggle(v)} disabled={update.isPending} aria-label={`${s.enabled ? "Disable" : "Enable"} ${s.name}`} />
        ) : (
          <Badge variant={s.enabled ? "success" : "outline"}>{s.enabled ? "enabled" : "disabled"}</Badge>
        )}
      </TableCell>
      {canManage ? (
        <TableCell className="text-right">
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="icon-sm" aria-label={`Delete ${s.name}`}>
                <Trash2 aria-hidden />
              </Button>
            }
            title={`Delete the schedule ${s.name}?`}
            description="It will not fire again. Executions it already started stay, with their results."
            confirmLabel="Delete schedule"
            destructive
            onConfirm={async () => {
              try {
                await remove.mutateAsync(s.id);
                toast.success(`${s.name} deleted`);
              } catch (error) {
                toast.error(`${s.name} was not deleted`, { description: error instanceof ApiError ? error.body.message : undefined });
                throw error;
              }
            }}
          />
        </TableCell>
      ) : null}
    </TableRow>
  );
}
