"use client";

import { ScrollText } from "lucide-react";
import { Fragment, useState } from "react";
import { useDebouncedValue } from "@/components/api/use-debounced-value";
import { useAuditEntries, type AuditEntry, type AuditFilters } from "@/components/api/list-audit-entries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExpandCell, ExpandedRow } from "@/components/ui/expandable-row";
import { FilterSelect } from "@/components/ui/filter-select";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";

const ANY = "any";

/** The audit log: who changed what, from where, and how it ended. Newest first. */
export function AuditView() {
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [resourceType, setResourceType] = useState("");
  const [outcome, setOutcome] = useState(ANY);
  const [open, setOpen] = useState<number | null>(null);
  const filters: AuditFilters = {
    actor: useDebouncedValue(actor.trim()) || undefined,
    action: useDebouncedValue(action.trim()) || undefined,
    resource_type: useDebouncedValue(resourceType.trim()) || undefined,
    outcome: outcome === ANY ? undefined : (outcome as AuditFilters["outcome"]),
  };
  const log = useAuditEntries(filters);
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];

  return (
    <>
      <PageHeader title="Audit log" description="Every change made through the console or its API: who, what, on which resource, and the outcome." />
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="search" aria-label="Filter the audit log">
        <Input aria-label="Actor" placeholder="Actor (user name or id)" value={actor} onChange={(e) => setActor(e.target.value)} />
        <Input aria-label="Action" placeholder="Action, e.g. migrations.execute" value={action} onChange={(e) => setAction(e.target.value)} />
        <Input aria-label="Resource type" placeholder="Resource type, e.g. execution" value={resourceType} onChange={(e) => setResourceType(e.target.value)} />
        <FilterSelect
          label="Outcome"
          value={outcome}
          onChange={setOutcome}
          all={{ value: ANY, label: "Outcome: any" }}
          options={[
            { value: "success", label: "Succeeded" },
            { value: "error", label: "Failed" },
          ]}
        />
      </div>
      {log.isError ? (
        <ErrorState title="The audit log could not be loaded" message={log.error.message} onRetry={() => log.refetch()} />
      ) : log.isPending ? (
        <Skeleton className="h-72 w-full" />
      ) : entries.length === 0 ? (
        <EmptyState icon={ScrollText} title="No entries" description="Nothing matches these filters yet." />
      ) : (
        <Card className="min-w-0">
          <CardContent className="pt-3">
            <Table aria-label="Audit entries">
              <TableHeader>
                <TableRow>
                  <TableHeadSrOnly className="w-8">Details</TableHeadSrOnly>
                  <TableHead>When</TableHead>
                  <TableHead>Actor</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Resource</TableHead>
                  <TableHead>Outcome</TableHead>
                  <TableHead>From</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {entries.map((e) => (
                  <Row key={e.id} entry={e} open={open === e.id} onToggle={() => setOpen(open === e.id ? null : e.id)} />
                ))}
              </TableBody>
            </Table>
            <div className="mt-3 flex justify-center">
              {log.hasNextPage ? (
                <Button variant="outline" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                  {log.isFetchingNextPage ? <Spinner /> : null}
                  Load older entries
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">That is the whole log for these filters.</p>
              )}
            </div>
          </CardContent>
        </Card>
      )}
    </>
  );
}

function Row({ entry: e, open, onToggle }: { entry: AuditEntry; open: boolean; onToggle: () => void }) {
  return (
    <Fragment>
      <TableRow>
        <ExpandCell open={open} label={`${open ? "Hide" : "Show"} details of entry ${e.id}`} onToggle={onToggle} />
        <TableCell className="whitespace-nowrap text-muted-foreground">{new Date(e.at).toLocaleString()}</TableCell>
        <TableCell>
          {e.actor_name ?? e.actor_id}
          <span className="block text-xs text-muted-foreground">{e.actor_type}</span>
        </TableCell>
        <TableCell className="font-mono text-xs">{e.action}</TableCell>
        <TableCell className="text-xs">
          {e.resource_type ?? "—"}
          {e.resource_id ? <span className="block font-mono text-muted-foreground">{e.resource_id}</span> : null}
        </TableCell>
        <TableCell>
          {e.outcome === "success" ? (
            <Badge variant="success">succeeded</Badge>
          ) : (
            <Badge variant="destructive">{e.error_code ?? "failed"}</Badge>
          )}
        </TableCell>
        <TableCell className="font-mono text-xs text-muted-foreground">{e.ip ?? "—"}</TableCell>
      </TableRow>
      {open ? (
        <ExpandedRow colSpan={6}>
          <div className="grid gap-2 text-xs">
            {e.request_id ? (
              <p>
                Request <span className="font-mono">{e.request_id}</span>
              </p>
            ) : null}
            <CodeBlock code={JSON.stringify(e.details, null, 2)} language="text" label={`Details of audit entry ${e.id}`} className="max-h-64" />
          </div>
        </ExpandedRow>
      ) : null}
    </Fragment>
  );
}
