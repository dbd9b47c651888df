import Link from "next/link";
import type { FleetOverview } from "@/components/api/get-fleet-overview";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

const TIERS = ["admin", "shared", "analytics", "tenant"] as const;

/**
 * Databases by tier (columns) and region (rows), with tenant schemas per region: where the fleet
 * lives and where it is unwell, in one table.
 */
export function FleetMatrix({ fleet }: { fleet: FleetOverview }) {
  const regions = [...new Set(fleet.connections.map((c) => c.region ?? ""))].sort((a, b) =>
    a === "" ? -1 : b === "" ? 1 : a.localeCompare(b),
  );
  const tenants = new Map(fleet.tenantsByRegion.map((r) => [r.region, r.tenants]));
  const cell = (region: string, tier: string) => {
    const items = fleet.connections.filter((c) => (c.region ?? "") === region && c.connection_type === tier && c.is_active);
    if (items.length === 0) return <span className="text-muted-foreground">—</span>;
    const unhealthy = items.filter((c) => c.is_healthy === false).length;
    return (
      <span className="tabular-nums">
        {items.length}
        {unhealthy ? (
          <span className="ml-1.5 text-xs font-medium text-destructive-soft-foreground">{unhealthy} unhealthy</span>
        ) : null}
      </span>
    );
  };
  return (
    <Table aria-label="Databases by tier and region">
      <TableHeader>
        <TableRow>
          <TableHead>Region</TableHead>
          {TIERS.map((t) => (
            <TableHead key={t} className="text-right">
              {t}
            </TableHead>
          ))}
          <TableHead className="text-right">Tenant schemas</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {regions.map((region) => (
          <TableRow key={region || "global"}>
            <TableHead scope="row" className="normal-case tracking-normal text-foreground">
              {region ? (
                <Link href={`/plan?scope=regional&region=${encodeURIComponent(region)}`} className="hover:underline">
                  {region}
                </Link>
              ) : (
                "global"
              )}
            </TableHead>
            {TIERS.map((tier) => (
              <TableCell key={tier} className="text-right">
                {cell(region, tier)}
              </TableCell>
            ))}
            <TableCell className="text-right tabular-nums">{region ? (tenants.get(region) ?? 0) : "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
