"use client";

import { ArrowLeft, Pencil } from "lucide-react";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { useTenant } from "@/components/api/get-tenant";
import { useCan, useHasPermission } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/spinner";
import { DropSchemaDialog } from "./drop-schema-dialog";
import { TenantForm } from "./tenant-form";
import { TenantStatusBadge } from "./tenant-status-badge";
import { TenantStatusActions } from "./tenant-status-menu";

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * One tenant: where it lives and its status; status changes and edits (databases:manage), and
 * deleting its schema (infrastructure:admin). `children` is where the tenant's migration state goes
 * (rendered by the page, from the migrations feature).
 */
export function TenantDetail({ id, children }: { id: string; children?: ReactNode }) {
  const canManage = useCan("tenants.manage");
  const canDropSchema = useCan("tenants.dropSchema");
  const canSeeDatabases = useHasPermission("databases:read");
  const tenant = useTenant(id);
  const [editing, setEditing] = useState(false);

  if (tenant.isError) {
    return <ErrorState title="This tenant could not be loaded" message={tenant.error.message} onRetry={() => tenant.refetch()} />;
  }
  if (tenant.isPending) return <LoadingState label="Loading the tenant…" />;
  const t = tenant.data;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/tenants" className="inline-flex items-center gap-1 hover:underline">
            <ArrowLeft className="size-3.5" aria-hidden /> Tenants
          </Link>
        }
        title={t.name}
        description={`${t.slug} · ${t.region}`}
        actions={
          canManage || canDropSchema ? (
            <>
              {canManage ? (
                <>
                  <TenantStatusActions tenant={t} />
                  <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
                    <Pencil aria-hidden />
                    Edit
                  </Button>
                </>
              ) : null}
              {canDropSchema ? <DropSchemaDialog tenant={t} /> : null}
            </>
          ) : null
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>Placement</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Status</dt>
            <dd>
              <TenantStatusBadge status={t.status} />
            </dd>
            <dt className="text-muted-foreground">Database</dt>
            <dd>
              {canSeeDatabases ? (
                <Link href={`/databases/${t.connection_id}`} className="hover:underline">
                  {t.connection_name ?? t.connection_id}
                </Link>
              ) : (
                (t.connection_name ?? "—")
              )}
            </dd>
            <dt className="text-muted-foreground">Schema</dt>
            <dd className="font-mono">{t.schema_name}</dd>
            <dt className="text-muted-foreground">Region</dt>
            <dd>{t.region}</dd>
            <dt className="text-muted-foreground">Registered</dt>
            <dd>
              {when(t.created_at)} by {t.created_by}
            </dd>
            <dt className="text-muted-foreground">Last change</dt>
            <dd>
              {when(t.updated_at)}
              {t.updated_by ? ` by ${t.updated_by}` : ""}
            </dd>
          </dl>
        </CardContent>
      </Card>
      {children}
      <Dialog open={editing} onOpenChange={setEditing}>
        <DialogContent className="sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Edit {t.name}</DialogTitle>
            <DialogDescription>Moving a tenant only changes where the console looks: move its data first.</DialogDescription>
          </DialogHeader>
          {editing ? <TenantForm tenant={t} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}
