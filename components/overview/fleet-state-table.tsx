import Link from "next/link";
import type { ReactNode } from "react";
import { tierLabel } from "@/components/databases/tier-labels";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { MigrationStateFilter } from "@/server/contracts/migration-state";
import type { FleetStateGroup, FleetStateView } from "@/server/migrations/plans/fleet-state-schemas";

/**
 * Per region and tier, how many active targets are at head, behind, blocked, failed in their last
 * run, or not read yet, with a bar of the share at head. Tenant figures link to the Tenants page
 * filtered the same way.
 */
export function FleetStateTable({ state }: { state: FleetStateView }) {
  if (state.groups.length === 0) return <p className="text-sm text-muted-foreground">No active target is registered yet.</p>;
  const link = (g: FleetStateGroup, filter: MigrationStateFilter, n: number, tone?: string): ReactNode => {
    if (n === 0) return <span className="text-muted-foreground">0</span>;
    const text = <span className={tone}>{n}</span>;
    if (g.tier !== "tenant" || !g.region) return text;
    return (
      <Link href={`/tenants?state=${filter}&region=${encodeURIComponent(g.region)}`} className="underline-offset-2 hover:underline">
        {text}
      </Link>
    );
  };
  return (
    <Table aria-label="Migration state by region and tier">
      <TableHeader>
        <TableRow>
          <TableHead>Region</TableHead>
          <TableHead>Tier</TableHead>
          <TableHead className="text-right">Targets</TableHead>
          <TableHead className="text-right">At head</TableHead>
          <TableHead className="text-right">Behind</TableHead>
          <TableHead className="text-right">Blocked</TableHead>
          <TableHead className="text-right">Failed last run</TableHead>
          <TableHead className="text-right">Not read yet</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {state.groups.map((g) => (
          <TableRow key={`${g.region ?? ""}/${g.tier}`} data-testid={`fleet-state-${g.region ?? "global"}-${g.tier}`}>
            <TableHead scope="row" className="normal-case tracking-normal text-foreground">
              {g.region ?? "global"}
            </TableHead>
            <TableCell>
              <div className="grid gap-1">
                <span>{g.tier === "tenant" ? "Tenants" : tierLabel(g.tier)}</span>
                <ShareBar group={g} />
              </div>
            </TableCell>
            <TableCell className="text-right tabular-nums">{g.targets}</TableCell>
            <TableCell className="text-right tabular-nums">{link(g, "at_head", g.at_head, "text-success-soft-foreground")}</TableCell>
            <TableCell className="text-right tabular-nums">
              {link(g, "behind", g.behind, "text-info-soft-foreground")}
              {g.behind ? <span className="block text-xs text-muted-foreground">{g.pending_migrations} pending</span> : null}
            </TableCell>
            <TableCell className="text-right tabular-nums">{link(g, "blocked", g.blocked, "text-warning-soft-foreground")}</TableCell>
            <TableCell className="text-right tabular-nums">{link(g, "failed", g.failed, "text-destructive-soft-foreground")}</TableCell>
            <TableCell className="text-right tabular-nums">{link(g, "unknown", g.unknown)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The share of the group's targets at head, behind and not read yet, as one bar (the figures beside it say the same). */
function ShareBar({ group }: { group: FleetStateGroup }) {
  const pct = (n: number) => (group.targets ? (n / group.targets) * 100 : 0);
  return (
    <div className="flex h-1.5 w-24 overflow-hidden rounded-full bg-muted" aria-hidden>
      <div className="bg-success" style={{ width: `${pct(group.at_head)}%` }} />
      <div className="bg-info" style={{ width: `${pct(group.behind)}%` }} />
    </div>
  );
}
