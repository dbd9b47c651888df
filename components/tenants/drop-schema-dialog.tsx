"use client";

import { Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useDropTenantSchema } from "@/components/api/drop-tenant-schema";
import { ApiError } from "@/components/api/fetch-json";
import { useTenantDropPreview, type SchemaDropPreview } from "@/components/api/get-tenant-drop-preview";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LoadingState } from "@/components/ui/spinner";
import type { Tenant } from "@/server/tenants/schemas";
import { dropSummary, rowsLabel } from "./schema-drop-summary";

/**
 * "Delete schema…" (infrastructure:admin): the preview of what goes (read on the tenant's database
 * when the dialog opens: every table with its rows, the sequences, types and functions), what
 * stands in the way, and the schema's name typed out before the button does anything. The server
 * checks all of it again.
 */
export function DropSchemaDialog({ tenant }: { tenant: Tenant }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const preview = useTenantDropPreview(tenant.id, open);
  const drop = useDropTenantSchema(tenant.id);
  const ready = preview.data?.exists === true && preview.data.blockers.length === 0;

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setTyped("");
      setFieldError(null);
    }
  }

  async function confirm() {
    setFieldError(null);
    try {
      const result = await drop.mutateAsync({ confirm: typed.trim() });
      toast.success(`Dropped schema ${result.schema_name}`, {
        description: `${result.dropped.relations} tables and views (${result.dropped.rows.toLocaleString("en-US")} rows) removed from ${result.connection_name}.`,
      });
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.confirm) setFieldError(error.fieldErrors.confirm);
      else toast.error("The schema was not dropped", { description: error instanceof Error ? error.message : String(error) });
      void preview.refetch();
      throw error;
    }
  }

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      trigger={
        <Button variant="outline" size="sm" className="text-destructive">
          <Trash2 aria-hidden />
          Delete schema…
        </Button>
      }
      title={`Delete the schema of ${tenant.name}?`}
      description={`Drops ${tenant.schema_name} and everything in it on ${tenant.connection_name ?? "its database"}. This cannot be undone; the tenant stays registered.`}
      confirmLabel="Delete schema"
      destructive
      confirmDisabled={!ready || typed.trim() !== tenant.schema_name}
      onConfirm={confirm}
    >
      {preview.isPending ? (
        <LoadingState label="Reading the schema…" />
      ) : preview.isError ? (
        <p role="alert" className="text-destructive">
          {preview.error.message}
        </p>
      ) : (
        <div className="grid gap-3">
          <PreviewBody preview={preview.data} />
          {ready ? (
            <Field label={`Type ${tenant.schema_name} to confirm`} error={fieldError ?? undefined}>
              {(control) => (
                <Input {...control} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} className="font-mono" />
              )}
            </Field>
          ) : null}
        </div>
      )}
    </ConfirmDialog>
  );
}

function PreviewBody({ preview: p }: { preview: SchemaDropPreview }) {
  if (!p.exists) {
    return (
      <p role="status">
        Schema <span className="font-mono">{p.schema_name}</span> does not exist on {p.connection_name}: there is nothing to drop.
      </p>
    );
  }
  const named = (items: Array<{ name: string }>) => items.map((i) => i.name).join(", ") || "none";
  return (
    <div className="grid gap-3" aria-label="What is dropped" role="region">
      <p>{dropSummary(p)}.</p>
      {p.relations.length > 0 ? (
        <div className="max-h-56 overflow-y-auto rounded-md border">
          <table className="w-full text-left text-xs" aria-label="Tables and views">
            <thead className="sticky top-0 bg-muted">
              <tr>
                <th className="px-2 py-1 font-medium">Name</th>
                <th className="px-2 py-1 font-medium">Kind</th>
                <th className="px-2 py-1 text-right font-medium">Rows</th>
              </tr>
            </thead>
            <tbody>
              {p.relations.map((r) => (
                <tr key={r.name} className="border-t">
                  <td className="px-2 py-1 font-mono">{r.name}</td>
                  <td className="px-2 py-1">{r.kind}</td>
                  <td className="px-2 py-1 text-right tabular-nums">{rowsLabel(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
        <dt className="text-muted-foreground">Sequences</dt>
        <dd className="font-mono">{named(p.sequences)}</dd>
        <dt className="text-muted-foreground">Types</dt>
        <dd className="font-mono">{named(p.types)}</dd>
        <dt className="text-muted-foreground">Functions</dt>
        <dd className="font-mono">{p.functions.map((f) => `${f.name}(${f.arguments})`).join(", ") || "none"}</dd>
      </dl>
      {p.blockers.length > 0 ? (
        <div role="alert" className="rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-destructive-soft-foreground">
          <p className="font-medium">It cannot be dropped now:</p>
          <ul className="list-disc pl-5">
            {p.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
