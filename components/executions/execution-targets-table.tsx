"use client";

import { ArrowDownWideNarrow } from "lucide-react";
import Link from "next/link";
import { Fragment, useDeferredValue, useMemo, useState } from "react";
import type { ExecutionDetail, ExecutionTarget } from "@/components/api/execution-types";
import { Button } from "@/components/ui/button";
import { ExpandCell, ExpandedRow, useOpenRows } from "@/components/ui/expandable-row";
import { SearchInput } from "@/components/ui/search-input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";
import { RollbackTargetButton } from "./execution-actions";
import { formatDuration } from "./format";
import { TargetWindowWait } from "./window-wait";
import { TargetMigrations } from "./target-migrations";

type Filter = "all" | ExecutionTarget["status"];
type Sort = "position" | "duration_desc" | "duration_asc" | "name";

const FILTERS: Array<{ value: Filter; label: string; rehearsal?: string }> = [
  { value: "all", label: "All" },
  { value: "running", label: "Running" },
  { value: "pending", label: "Queued" },
  { value: "succeeded", label: "Succeeded", rehearsal: "Would apply" },
  { value: "failed", label: "Failed", rehearsal: "Would fail" },
  { value: "skipped", label: "Skipped" },
];

const SORTS: Record<Sort, string> = {
  position: "Plan order",
  duration_desc: "Slowest first",
  duration_asc: "Fastest first",
  name: "Name",
};

/** Per-target results: filter by status, search by name, sort by duration, open one for its migrations. */
export function ExecutionTargetsTable({ execution }: { execution: ExecutionDetail }) {
  const [filter, setFilter] = useState<Filter>("all");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<Sort>("position");
  const [open, toggle] = useOpenRows();
  const deferredSearch = useDeferredValue(search.trim().toLowerCase());
  const rehearsal = execution.dry_run;
  const wouldDo = execution.kind === "rollback" ? "Would roll back" : "Would apply";

  const counts = useMemo(() => {
    const c: Record<string, number> = { all: execution.targets.length };
    for (const t of execution.targets) c[t.status] = (c[t.status] ?? 0) + 1;
    return c;
  }, [execution.targets]);

  const rows = useMemo(() => {
    const list = execution.targets.filter(
      (t) =>
        (filter === "all" || t.status === filter) &&
        (!deferredSearch || `${t.connection_name}/${t.schema_name} ${t.region ?? ""}`.toLowerCase().includes(deferredSearch)),
    );
    const duration = (t: ExecutionTarget) => t.duration_ms ?? -1;
    if (sort === "duration_desc") list.sort((a, b) => duration(b) - duration(a));
    else if (sort === "duration_asc") list.sort((a, b) => (a.duration_ms ?? Infinity) - (b.duration_ms ?? Infinity));
    else if (sort === "name") list.sort((a, b) => `${a.connection_name}/${a.schema_name}`.localeCompare(`${b.connection_name}/${b.schema_name}`));
    else list.sort((a, b) => a.position - b.position);
    return list;
  }, [execution.targets, filter, deferredSearch, sort]);

  const statusLabel = (t: ExecutionTarget) =>
    rehearsal && t.status === "succeeded" ? wouldDo : rehearsal && t.status === "failed" ? "Would fail" : undefined;

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label="Filter targets by status" className="flex flex-wrap gap-1">
          {FILTERS.map((f) => (
            <Button
              key={f.value}
              size="sm"
              variant={filter === f.value ? "secondary" : "ghost"}
              aria-pressed={filter === f.value}
              onClick={() => setFilter(f.value)}
            >
              {rehearsal && f.rehearsal ? (f.value === "succeeded" ? wouldDo : f.rehearsal) : f.label}
              <span className="rounded bg-background/70 px-1.5 text-xs tabular-nums">{counts[f.value] ?? 0}</span>
            </Button>
          ))}
        </div>
        <div className="ml-auto flex flex-wrap gap-2">
          <SearchInput className="w-56" placeholder="Search targets" aria-label="Search targets" value={search} onChange={(e) => setSearch(e.target.value)} />
          <Select value={sort} onValueChange={(v) => setSort(v as Sort)}>
            <SelectTrigger className="w-44" aria-label="Sort targets">
              <ArrowDownWideNarrow aria-hidden />
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {(Object.keys(SORTS) as Sort[]).map((s) => (
                <SelectItem key={s} value={s}>
                  {SORTS[s]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
      </div>

      <Table aria-label="Targets of this execution">
        <TableHeader>
          <TableRow>
            <TableHeadSrOnly className="w-8">Details</TableHeadSrOnly>
            <TableHead>Target</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Attempts</TableHead>
            <TableHead className="text-right">Duration</TableHead>
            <TableHead>Migrations</TableHead>
            <TableHead>Error</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.length === 0 ? (
            <TableRow>
              <TableCell colSpan={7} className="py-8 text-center text-muted-foreground">
                {execution.targets.length === 0 ? "This execution has no targets: nothing was pending." : "No target matches."}
              </TableCell>
            </TableRow>
          ) : null}
          {rows.map((t) => {
            const name = `${t.connection_name}/${t.schema_name}`;
            const isOpen = open.has(t.id);
            const done = t.migrations.filter((m) => ["applied", "would_apply", "would_revert", "rolled_back"].includes(m.status)).length;
            return (
              <Fragment key={t.id}>
                <TableRow data-target={name} data-status={t.status}>
                  <ExpandCell open={isOpen} label={`${isOpen ? "Hide" : "Show"} migrations of ${name}`} onToggle={() => toggle(t.id)} />
                  <TableCell>
                    <div className="font-mono text-[13px]">{t.schema_name}</div>
                    <div className="text-xs text-muted-foreground">
                      on {t.connection_name}
                      {t.region ? ` · ${t.region}` : ""}
                      {t.tenant_id ? (
                        <>
                          {" · "}
                          <Link href={`/tenants/${t.tenant_id}`} className="hover:underline">
                            tenant
                          </Link>
                        </>
                      ) : null}
                    </div>
                  </TableCell>
                  <TableCell>
                    <StatusBadge kind="target" status={t.status} label={statusLabel(t)} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{t.attempts}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatDuration(t.duration_ms)}</TableCell>
                  <TableCell className="tabular-nums">
                    {t.migrations.length ? `${done} of ${t.migrations.length}` : "—"}
                  </TableCell>
                  <TableCell className="max-w-sm">
                    {t.error ? (
                      <span className="line-clamp-2 text-sm text-destructive-soft-foreground" title={t.error.message}>
                        {t.error.code ? <span className="font-mono">{t.error.code} </span> : null}
                        {t.error.message}
                      </span>
                    ) : t.waiting_for_window ? (
                      <TargetWindowWait target={t} />
                    ) : (
                      <span className="text-muted-foreground">—</span>
                    )}
                  </TableCell>
                </TableRow>
                {isOpen ? (
                  <ExpandedRow colSpan={6}>
                    <div className="grid gap-3">
                      <div className="flex justify-end">
                        <RollbackTargetButton execution={execution} target={t} />
                      </div>
                      <TargetMigrations target={t} />
                    </div>
                  </ExpandedRow>
                ) : null}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
      {execution.targets_page.total > execution.targets.length ? (
        <p className="text-sm text-muted-foreground">
          Showing the first {execution.targets.length} of {execution.targets_page.total} targets.
        </p>
      ) : null}
    </div>
  );
}
