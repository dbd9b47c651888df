"use client";

import { Pencil, PlugZap, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useDeleteConnection } from "@/components/api/delete-connection";
import { useTestConnection } from "@/components/api/test-connection";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import type { Connection } from "@/server/databases/schemas";
import { ConnectionForm } from "./connection-form";

/**
 * Test, edit and delete for one connection. Rendered only for databases:manage; the server checks
 * the permission again on every action.
 */
export function ConnectionActions({
  connection,
  labelled = false,
  onDeleted,
}: {
  connection: Connection;
  /** Buttons with words (detail page) instead of icons (table rows). */
  labelled?: boolean;
  onDeleted?: () => void;
}) {
  const testConnection = useTestConnection();
  const deleteConnection = useDeleteConnection();
  const [testing, setTesting] = useState(false);
  const [editing, setEditing] = useState(false);
  const size = labelled ? "sm" : "icon-sm";
  const variant = labelled ? "outline" : "ghost";

  async function test() {
    setTesting(true);
    try {
      const result = await testConnection.mutateAsync(connection.id);
      if (result.success) toast.success(`${connection.name}: connected in ${result.latency_ms} ms (PostgreSQL ${result.server_version})`);
      else toast.error(`${connection.name}: ${result.error_code ? `${result.error_code} ` : ""}${result.error_message}`);
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The test could not run");
    } finally {
      setTesting(false);
    }
  }

  async function remove() {
    try {
      await deleteConnection.mutateAsync(connection.id);
      toast.success(`Removed ${connection.name}`);
      onDeleted?.();
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The database could not be removed");
      throw error;
    }
  }

  return (
    <div className="inline-flex gap-1">
      <Button variant={variant} size={size} onClick={test} disabled={testing} aria-label={`Test ${connection.name}`}>
        {testing ? <Spinner className="size-4" /> : <PlugZap aria-hidden />}
        {labelled ? "Test now" : null}
      </Button>
      <Button variant={variant} size={size} onClick={() => setEditing(true)} aria-label={`Edit ${connection.name}`}>
        <Pencil aria-hidden />
        {labelled ? "Edit" : null}
      </Button>
      <ConfirmDialog
        trigger={
          <Button variant={labelled ? "outline" : "ghost"} size={size} aria-label={`Delete ${connection.name}`}>
            <Trash2 aria-hidden />
            {labelled ? "Delete" : null}
          </Button>
        }
        title={`Remove ${connection.name}?`}
        description="It leaves lists, plans and health checks. The record is kept for the history of past executions. A database that still hosts tenants cannot be removed."
        confirmLabel="Remove database"
        destructive
        onConfirm={remove}
      />
      <Dialog open={editing} onOpenChange={setEditing}>
        <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Edit {connection.name}</DialogTitle>
            <DialogDescription>Changed connection details are tested before they are saved.</DialogDescription>
          </DialogHeader>
          {editing ? (
            <ConnectionForm connection={connection} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
          ) : null}
        </DialogContent>
      </Dialog>
    </div>
  );
}
