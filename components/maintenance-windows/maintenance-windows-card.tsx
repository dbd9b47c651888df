"use client";

import { Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useMaintenanceWindows, type MaintenanceWindow } from "@/components/api/list-maintenance-windows";
import { useDeleteMaintenanceWindow } from "@/components/api/save-maintenance-window";
import { useCan } from "@/components/providers/viewer-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/spinner";
import { WindowForm } from "./window-form";

const when = (iso: string) => new Date(iso).toLocaleString();

type Editing = { subject: { databaseId?: string; region?: string }; existing?: MaintenanceWindow; title: string } | null;

/**
 * A database's maintenance windows: whether migrations may start now (and the next opening), the
 * windows that apply (its own, else its region's), and for admins adding, changing and deleting
 * them, for the database or for its region.
 */
export function MaintenanceWindowsCard({ databaseId, region }: { databaseId: string; region: string | null }) {
  const canManage = useCan("maintenanceWindows.manage");
  const windows = useMaintenanceWindows({ databaseId });
  const regional = useMaintenanceWindows({ region: region ?? undefined });
  const [editing, setEditing] = useState<Editing>(null);

  const applies = windows.data?.applies;
  const regionWindows = region ? (regional.data?.windows ?? []).filter((w) => w.database_id === null) : [];
  return (
    <Card className="mt-4" aria-label="Maintenance windows">
      <CardHeader>
        <CardTitle>Maintenance windows</CardTitle>
        <CardDescription>
          Migrations start here only inside a window. The database&apos;s own windows replace its region&apos;s; with none, any time. A target
          already running when a window closes finishes its current run.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {windows.isError ? (
          <ErrorState title="Windows could not be loaded" message={windows.error.message} onRetry={() => windows.refetch()} />
        ) : windows.isPending || !applies ? (
          <LoadingState label="Loading windows…" />
        ) : (
          <>
            <p className="text-sm" data-testid="window-state">
              {!applies.state.restricted ? (
                <Badge variant="outline">No window: migrations may start any time</Badge>
              ) : applies.state.open ? (
                <>
                  <Badge variant="outline">Open</Badge> until {applies.state.closes_at ? when(applies.state.closes_at) : "—"}
                </>
              ) : (
                <>
                  <Badge variant="secondary">Closed</Badge> opens at {applies.state.opens_at ? when(applies.state.opens_at) : "—"}
                </>
              )}
              {applies.source === "region" ? <span className="text-muted-foreground"> (the windows of region {applies.region})</span> : null}
            </p>
            <WindowList
              title="This database"
              windows={windows.data.windows}
              empty={region ? `None: the windows of region ${region} apply.` : "None."}
              canManage={canManage}
              onEdit={(w) => setEditing({ subject: { databaseId }, existing: w, title: "Change the window" })}
            />
            {region ? (
              <WindowList
                title={`Region ${region}${applies.source === "database" ? " (not applied: this database has its own)" : ""}`}
                windows={regionWindows}
                empty="None."
                canManage={canManage}
                onEdit={(w) => setEditing({ subject: { region }, existing: w, title: `Change a window of ${region}` })}
              />
            ) : null}
            {canManage ? (
              <div className="flex flex-wrap gap-2">
                <Button variant="outline" size="sm" onClick={() => setEditing({ subject: { databaseId }, title: "Add a window to this database" })}>
                  <Plus aria-hidden /> Add window to this database
                </Button>
                {region ? (
                  <Button variant="outline" size="sm" onClick={() => setEditing({ subject: { region }, title: `Add a window to region ${region}` })}>
                    <Plus aria-hidden /> Add window to region {region}
                  </Button>
                ) : null}
              </div>
            ) : null}
          </>
        )}
      </CardContent>
      <Dialog open={editing !== null} onOpenChange={(open) => (open ? null : setEditing(null))}>
        <DialogContent className="sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>{editing?.title}</DialogTitle>
            <DialogDescription>A weekly window: it opens on each chosen day at the local time and stays open for the hours given.</DialogDescription>
          </DialogHeader>
          {editing ? (
            <WindowForm subject={editing.subject} existing={editing.existing} onDone={() => setEditing(null)} onCancel={() => setEditing(null)} />
          ) : null}
        </DialogContent>
      </Dialog>
    </Card>
  );
}

function WindowList({
  title,
  windows,
  empty,
  canManage,
  onEdit,
}: {
  title: string;
  windows: MaintenanceWindow[];
  empty: string;
  canManage: boolean;
  onEdit: (w: MaintenanceWindow) => void;
}) {
  const remove = useDeleteMaintenanceWindow();
  return (
    <section className="grid gap-1.5">
      <h3 className="text-sm font-medium">{title}</h3>
      {windows.length === 0 ? (
        <p className="text-sm text-muted-foreground">{empty}</p>
      ) : (
        <ul className="grid gap-1.5">
          {windows.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center gap-2 text-sm" data-testid="maintenance-window">
              <span className="min-w-0 break-words">
                {w.label ? <span className="font-medium">{w.label}: </span> : null}
                {w.description}
              </span>
              {w.state.open ? <Badge variant="outline">open now</Badge> : null}
              {canManage ? (
                <span className="ml-auto flex gap-1">
                  <Button variant="ghost" size="icon-sm" aria-label={`Change ${w.description}`} onClick={() => onEdit(w)}>
                    <Pencil aria-hidden />
                  </Button>
                  <ConfirmDialog
                    trigger={
                      <Button variant="ghost" size="icon-sm" aria-label={`Delete ${w.description}`}>
                        <Trash2 aria-hidden />
                      </Button>
                    }
                    title="Delete this maintenance window?"
                    description={`${w.description}. Targets waiting for it are looked at again shortly.`}
                    confirmLabel="Delete window"
                    destructive
                    onConfirm={async () => {
                      try {
                        await remove.mutateAsync(w.id);
                        toast.success("Maintenance window deleted");
                      } catch (error) {
                        toast.error("The window was not deleted", { description: error instanceof Error ? error.message : undefined });
                        throw error;
                      }
                    }}
                  />
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
