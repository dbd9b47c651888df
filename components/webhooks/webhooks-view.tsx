"use client";

import { Plus, Send, Trash2, Webhook as WebhookIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useDeleteWebhook } from "@/components/api/delete-webhook";
import { ApiError } from "@/components/api/fetch-json";
import { useWebhooks, type Webhook } from "@/components/api/list-webhooks";
import { useSendTestWebhook } from "@/components/api/send-test-webhook";
import { useUpdateWebhook } from "@/components/api/update-webhook";
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
import { WEBHOOK_EVENT_LABELS } from "@/server/domain/webhooks";
import { DeliveryLog, DeliveryStatusBadge } from "./delivery-log";
import { WebhookForm } from "./webhook-form";

/** Outbound webhooks: endpoints that hear about approvals, starts, failures and ends, with their delivery logs. */
export function WebhooksView() {
  const list = useWebhooks();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const shown = list.data?.webhooks.find((w) => w.id === selected) ?? null;

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Endpoints the console tells when an execution needs approval, starts, fails, completes or is rolled back, and when a schedule fires. Each delivery is signed with the endpoint's secret and retried with backoff."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden />
            Add webhook
          </Button>
        }
      />
      {list.isError ? (
        <ErrorState title="Webhooks could not be loaded" message={list.error.message} onRetry={() => list.refetch()} />
      ) : list.isPending ? (
        <Skeleton className="h-48 w-full" />
      ) : list.data.webhooks.length === 0 ? (
        <EmptyState
          icon={WebhookIcon}
          title="No webhooks yet"
          description="Add an endpoint (a chat channel, an incident tool, your CI) to hear about executions as they happen."
          action={<Button onClick={() => setCreating(true)}>Add webhook</Button>}
        />
      ) : (
        <div className="grid min-w-0 gap-6">
          <Card className="min-w-0">
            <CardContent className="pt-3">
              <Table aria-label="Webhooks">
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>Events</TableHead>
                    <TableHead>Last delivery</TableHead>
                    <TableHead>Enabled</TableHead>
                    <TableHeadSrOnly>Actions</TableHeadSrOnly>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.data.webhooks.map((w) => (
                    <WebhookRow key={w.id} webhook={w} selected={w.id === selected} onShowLog={() => setSelected(w.id)} onDeleted={() => setSelected((s) => (s === w.id ? null : s))} />
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
          {shown ? <DeliveryLog webhook={shown} /> : null}
        </div>
      )}
      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent className="sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Add webhook</DialogTitle>
            <DialogDescription>Deliveries are POSTed as JSON with an X-Console-Signature header the receiver checks with the secret.</DialogDescription>
          </DialogHeader>
          {creating ? <WebhookForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}

function WebhookRow({ webhook: w, selected, onShowLog, onDeleted }: { webhook: Webhook; selected: boolean; onShowLog: () => void; onDeleted: () => void }) {
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const sendTest = useSendTestWebhook();
  const errorText = (error: unknown) => (error instanceof ApiError ? error.body.message : undefined);

  const toggle = async (enabled: boolean) => {
    try {
      await update.mutateAsync({ id: w.id, changes: { enabled } });
      toast.success(`${w.name} ${enabled ? "enabled" : "disabled"}`);
    } catch (error) {
      toast.error(`${w.name} was not ${enabled ? "enabled" : "disabled"}`, { description: errorText(error) });
    }
  };
  const test = async () => {
    try {
      await sendTest.mutateAsync(w.id);
      onShowLog();
      toast.success(`Test delivery to ${w.name} queued`);
    } catch (error) {
      toast.error(`No test delivery to ${w.name}`, { description: errorText(error) });
    }
  };

  return (
    <TableRow data-webhook={w.name} data-state={selected ? "selected" : undefined}>
      <TableCell>
        <div className="flex items-center gap-1.5 font-medium">
          {w.name}
          {w.format === "slack" ? <Badge variant="secondary">Slack</Badge> : null}
        </div>
        <div className="max-w-md truncate font-mono text-xs text-muted-foreground" title={w.url}>
          {w.url}
        </div>
      </TableCell>
      <TableCell>
        <ul className="flex max-w-md flex-wrap gap-1" aria-label={`Events of ${w.name}`}>
          {w.events.map((e) => (
            <li key={e}>
              <Badge variant="outline">{WEBHOOK_EVENT_LABELS[e]}</Badge>
            </li>
          ))}
        </ul>
      </TableCell>
      <TableCell className="text-sm">
        {w.last_delivery ? (
          <div className="grid gap-0.5">
            <DeliveryStatusBadge status={w.last_delivery.status} />
            <span className="text-xs text-muted-foreground">
              {w.last_delivery.event_type} · {new Date(w.last_delivery.created_at).toLocaleString()}
            </span>
          </div>
        ) : (
          <span className="text-muted-foreground">none yet</span>
        )}
      </TableCell>
      <TableCell>
        <Switch checked={w.enabled} onCheckedChange={(v) => void toggle(v)} disabled={update.isPending} aria-label={`${w.enabled ? "Disable" : "Enable"} ${w.name}`} />
      </TableCell>
      <TableCell>
        <div className="flex justify-end gap-1">
          <Button variant="outline" size="sm" onClick={() => void test()} disabled={sendTest.isPending}>
            <Send aria-hidden />
            Send test
          </Button>
          <Button variant={selected ? "secondary" : "ghost"} size="sm" onClick={onShowLog} aria-pressed={selected}>
            Delivery log
          </Button>
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="icon-sm" aria-label={`Delete ${w.name}`}>
                <Trash2 aria-hidden />
              </Button>
            }
            title={`Delete the webhook ${w.name}?`}
            description="It gets no further events, deliveries still queued for it are dropped, and its delivery log is deleted."
            confirmLabel="Delete webhook"
            destructive
            onConfirm={async () => {
              try {
                await remove.mutateAsync(w.id);
                onDeleted();
                toast.success(`${w.name} deleted`);
              } catch (error) {
                toast.error(`${w.name} was not deleted`, { description: errorText(error) });
                throw error;
              }
            }}
          />
        </div>
      </TableCell>
    </TableRow>
  );
}
