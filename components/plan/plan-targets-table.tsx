"use client";

import Link from "next/link";
import { Fragment, useMemo } from "react";
import type { Plan, PlanTarget, PlanTargetStatus } from "@/components/api/get-plan";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ExpandCell, ExpandedRow, useOpenRows } from "@/components/ui/expandable-row";
import { PageButtons } from "@/components/ui/pager";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";
import { PlanStatusBadge } from "./plan-status-badge";
import { PlanTargetDetails } from "./plan-target-details";

export const PLAN_FILTERS: Array<{ value: PlanTargetStatus | "all"; label: string; total: (p: Plan) => number }> = [
  { value: "all", label: "All", total: (p) => p.totals.targets },
  { value: "pending", label: "Pending", total: (p) => p.totals.pending },
  { value: "blocked", label: "Blocked", total: (p) => p.totals.blocked },
  { value: "unreachable", label: "Unreachable", total: (p) => p.totals.unreachable },
  { value: "up_to_date", label: "Up to date", total: (p) => p.totals.up_to_date },
];

/** The plan's targets, one row each, with what is pending and why a target cannot run. */
export function PlanTargetsTable({
  plan,
  status,
  onStatus,
  onPage,
}: {
  plan: Plan;
  status: PlanTargetStatus | "all";
  onStatus: (status: PlanTargetStatus | "all") => void;
  onPage: (offset: number) => void;
}) {
  const [open, toggle] = useOpenRows();
  const { total, limit, offset } = plan.page;
  const migrations = useMemo(() => new Map(plan.migrations.map((m) => [m.id, m])), [plan.migrations]);

  return (
    <div className="grid gap-3">
      <div role="group" aria-label="Show targets" className="flex flex-wrap gap-1.5">
        {PLAN_FILTERS.map((f) => (
          <Button
            key={f.value}
            size="sm"
            variant={status === f.value ? "secondary" : "ghost"}
            aria-pressed={status === f.value}
            onClick={() => onStatus(f.value)}
            disabled={f.value !== "all" && f.total(plan) === 0 && status !== f.value}
          >
            {f.label}
            <span className="rounded bg-background/70 px-1.5 text-xs tabular-nums">{f.total(plan)}</span>
          </Button>
        ))}
      </div>
      <Table aria-label="Plan targets">
        <TableHeader>
          <TableRow>
            <TableHeadSrOnly className="w-8">Details</TableHeadSrOnly>
            <TableHead>Target</TableHead>
            <TableHead>Tier</TableHead>
            <TableHead>Region</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Pending</TableHead>
            <TableHead>Notes</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {plan.targets.length === 0 ? (
            <TableRow>
              <TableCell colSpan={7} className="py-8 text-center text-muted-foreground">
                No targets with this status.
              </TableCell>
            </TableRow>
          ) : null}
          {plan.targets.map((t) => {
            const isOpen = open.has(t.key);
            return (
              <Fragment key={t.key}>
                <TableRow data-target={`${t.connection_name}/${t.schema_name}`}>
                  <ExpandCell
                    open={isOpen}
                    label={`${isOpen ? "Hide" : "Show"} details of ${t.connection_name}/${t.schema_name}`}
                    onToggle={() => toggle(t.key)}
                  />
                  <TableCell>
                    <div className="font-mono text-[13px]">{t.schema_name}</div>
                    <div className="text-xs text-muted-foreground">
                      on {t.connection_name}
                      {t.tenant_id && t.tenant_slug ? (
                        <>
                          {" · "}
                          <Link href={`/tenants/${t.tenant_id}`} className="hover:underline">
                            tenant {t.tenant_slug}
                          </Link>
                        </>
                      ) : null}
                    </div>
                  </TableCell>
                  <TableCell>
                    <span className="flex flex-wrap gap-1">
                      <Badge variant="secondary">{t.database_type}</Badge>
                      {t.included_as_provider ? (
                        <Badge variant="info" title="Outside the scope: included because other targets need its migrations">
                          needed
                        </Badge>
                      ) : null}
                    </span>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">{t.region ?? "—"}</TableCell>
                  <TableCell>
                    <PlanStatusBadge status={t.status} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap tabular-nums">{pendingSummary(t)}</TableCell>
                  <TableCell className="max-w-md text-sm">
                    <span className="line-clamp-2">{notes(t)}</span>
                  </TableCell>
                </TableRow>
                {isOpen ? (
                  <ExpandedRow colSpan={6}>
                    <PlanTargetDetails target={t} migrations={migrations} />
                  </ExpandedRow>
                ) : null}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
      {total > limit ? (
        <div className="flex items-center justify-between gap-2 text-sm text-muted-foreground">
          <span>
            Targets {offset + 1}–{Math.min(offset + limit, total)} of {total}
          </span>
          <PageButtons total={total} offset={offset} pageSize={limit} onOffset={onPage} />
        </div>
      ) : null}
    </div>
  );
}

function pendingSummary(t: PlanTarget) {
  if (t.pending.length === 0) return <span className="text-muted-foreground">none</span>;
  const first = t.pending[0]!.split("/")[1]!.slice(0, 4);
  const last = t.pending[t.pending.length - 1]!.split("/")[1]!.slice(0, 4);
  return (
    <span>
      {t.pending.length} <span className="text-xs text-muted-foreground">({first === last ? first : `${first} → ${last}`})</span>
    </span>
  );
}

function notes(t: PlanTarget) {
  const items: string[] = [];
  if (t.error) items.push(t.error.message);
  if (t.drift.length) items.push(`${t.drift.length} drifted file${t.drift.length === 1 ? "" : "s"}`);
  if (t.interrupted.length) items.push(`${t.interrupted.length} interrupted`);
  if (t.blocked_reasons[0]) items.push(t.blocked_reasons[0]);
  if (!t.history_known) items.push("history unknown");
  if (items.length === 0) return <span className="text-muted-foreground">—</span>;
  return <span className={cn(t.status === "blocked" || t.status === "unreachable" ? "text-foreground" : "text-muted-foreground")}>{items.join(" · ")}</span>;
}
