"use client";

import Link from "next/link";
import { useWebhookDeliveries, type WebhookDelivery } from "@/components/api/list-webhook-deliveries";
import type { Webhook } from "@/components/api/list-webhooks";
import { shortId } from "@/components/executions/format";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { CodeBlock } from "@/components/ui/code-block";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExpandCell, ExpandedRow, useOpenRows } from "@/components/ui/expandable-row";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";
import type { WebhookDeliveryStatus } from "@/server/domain/webhooks";
import { History } from "lucide-react";
import { Fragment } from "react";

const STATUS_VARIANT: Record<WebhookDeliveryStatus, BadgeVariant> = {
  queued: "secondary",
  retrying: "warning",
  succeeded: "success",
  failed: "destructive",
};

export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  return <Badge variant={STATUS_VARIANT[status]}>{status}</Badge>;
}

/** The newest deliveries of one endpoint: event, outcome, attempts, the receiver's last answer. */
export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const log = useWebhookDeliveries(webhook.id);
  const [open, toggle] = useOpenRows();
  return (
    <Card className="min-w-0" aria-label={`Delivery log of ${webhook.name}`} role="region">
      <CardHeader>
        <CardTitle>Delivery log · {webhook.name}</CardTitle>
        <CardDescription>Newest first. Failed attempts are retried with growing delays (3 s, 7 s, 20 s, 1 min…) before a delivery is given up.</CardDescription>
      </CardHeader>
      <CardContent>
        {log.isError ? (
          <ErrorState title="The delivery log could not be loaded" message={log.error.message} onRetry={() => log.refetch()} />
        ) : log.isPending ? (
          <Skeleton className="h-24 w-full" />
        ) : log.data.deliveries.length === 0 ? (
          <EmptyState icon={History} title="No deliveries yet" description="Send a test, or wait for the next event this endpoint subscribed to." />
        ) : (
          <Table aria-label={`Deliveries to ${webhook.name}`}>
            <TableHeader>
              <TableRow>
                <TableHeadSrOnly>Body</TableHeadSrOnly>
                <TableHead>Event</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Attempts</TableHead>
                <TableHead>Answer</TableHead>
                <TableHead>When</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {log.data.deliveries.map((d) => (
                <DeliveryRow key={d.id} delivery={d} open={open.has(d.id)} onToggle={() => toggle(d.id)} />
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function DeliveryRow({ delivery: d, open, onToggle }: { delivery: WebhookDelivery; open: boolean; onToggle: () => void }) {
  return (
    <Fragment>
      <TableRow data-delivery={d.id} data-status={d.status}>
        <ExpandCell open={open} label={`Body of the ${d.event_type} delivery`} onToggle={onToggle} />
        <TableCell>
          <div className="font-mono text-xs">{d.event_type}</div>
          {d.execution_id ? (
            <Link href={`/executions/${d.execution_id}`} className="font-mono text-xs text-primary hover:underline">
              execution {shortId(d.execution_id)}
            </Link>
          ) : null}
        </TableCell>
        <TableCell>
          <DeliveryStatusBadge status={d.status} />
        </TableCell>
        <TableCell className="tabular-nums">
          {d.attempts} of {d.max_attempts}
          {d.status === "retrying" && d.next_attempt_at ? (
            <span className="block text-xs text-muted-foreground">next {new Date(d.next_attempt_at).toLocaleTimeString()}</span>
          ) : null}
        </TableCell>
        <TableCell className="max-w-md text-sm">
          {d.last_status_code !== null ? <span className="font-mono">HTTP {d.last_status_code}</span> : d.attempts ? <span className="text-muted-foreground">no answer</span> : "—"}
          {d.last_duration_ms !== null ? <span className="text-xs text-muted-foreground"> · {d.last_duration_ms} ms</span> : null}
          {d.last_error ? <span className="block text-xs break-words text-destructive-soft-foreground">{d.last_error}</span> : null}
        </TableCell>
        <TableCell className="text-xs tabular-nums">{new Date(d.created_at).toLocaleString()}</TableCell>
      </TableRow>
      {open ? (
        <ExpandedRow colSpan={5}>
          <CodeBlock code={pretty(d.body)} language="text" label={`Body of the ${d.event_type} delivery ${shortId(d.id)}`} className="max-h-64" />
        </ExpandedRow>
      ) : null}
    </Fragment>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
