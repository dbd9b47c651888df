"use client";

import { DatabaseIcon, Plus } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useConnections, type ConnectionFilters } from "@/components/api/list-connections";
import { useDebouncedValue } from "@/components/api/use-debounced-value";
import { useCan } from "@/components/providers/viewer-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { FilterSelect } from "@/components/ui/filter-select";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchInput } from "@/components/ui/search-input";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";
import type { Tier } from "@/server/domain/fleet";
import type { Connection } from "@/server/databases/schemas";
import { ConnectionActions } from "./connection-actions";
import { ConnectionForm } from "./connection-form";
import { HealthBadge, healthStatusOf } from "./health-badge";
import { TIER_OPTIONS, tierLabel } from "./tier-labels";

const PAGE_SIZE = 25;
const ALL = "all";

/** The Databases page: filters, the list with health, and (for databases:manage) register/edit/test/delete. */
export function DatabasesView() {
  const canManage = useCan("databases.manage");
  const [search, setSearch] = useState("");
  const [tier, setTier] = useState<string>(ALL);
  const [region, setRegion] = useState("");
  const [active, setActive] = useState<string>(ALL);
  const [offset, setOffset] = useState(0);
  const [registering, setRegistering] = useState(false);
  const deferredSearch = useDebouncedValue(search.trim());
  const deferredRegion = useDebouncedValue(region.trim());

  const filters: ConnectionFilters = {
    search: deferredSearch || undefined,
    connection_type: tier === ALL ? undefined : (tier as Tier),
    region: /^[a-z0-9][a-z0-9-]*$/.test(deferredRegion) ? deferredRegion : undefined,
    is_active: active === ALL ? undefined : active === "active",
    limit: PAGE_SIZE,
    offset,
  };
  const query = useConnections(filters);
  const reset = <T,>(setter: (v: T) => void) => (v: T) => {
    setter(v);
    setOffset(0);
  };

  return (
    <>
      <PageHeader
        title="Databases"
        description="Registered PostgreSQL databases of the fleet, by tier and region, with their measured health."
        actions={
          canManage ? (
            <Button onClick={() => setRegistering(true)}>
              <Plus aria-hidden />
              Register database
            </Button>
          ) : null
        }
      />

      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="search" aria-label="Filter databases">
        <SearchInput
          aria-label="Search name, host or database"
          placeholder="Search name, host or database"
          value={search}
          onChange={(e) => reset(setSearch)(e.target.value)}
        />
        <FilterSelect label="Tier" value={tier} onChange={reset(setTier)} all={{ value: ALL, label: "All tiers" }} options={TIER_OPTIONS} />
        <Input aria-label="Region" placeholder="Region, e.g. eu-west-1" value={region} onChange={(e) => reset(setRegion)(e.target.value)} />
        <FilterSelect
          label="Active"
          value={active}
          onChange={reset(setActive)}
          all={{ value: ALL, label: "Active and inactive" }}
          options={[
            { value: "active", label: "Active only" },
            { value: "inactive", label: "Inactive only" },
          ]}
        />
      </div>

      {query.isError ? (
        <ErrorState title="Databases could not be loaded" message={query.error.message} onRetry={() => query.refetch()} retrying={query.isFetching} />
      ) : query.isPending ? (
        <div className="grid gap-2" aria-busy>
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-10" />
          ))}
        </div>
      ) : query.data.total === 0 ? (
        <EmptyState
          icon={DatabaseIcon}
          title={filters.search || filters.connection_type || filters.region || active !== ALL ? "No database matches these filters" : "No database registered yet"}
          description={canManage ? "Register the fleet's databases so plans and health can reach them." : undefined}
          action={
            canManage ? (
              <Button variant="outline" onClick={() => setRegistering(true)}>
                Register database
              </Button>
            ) : undefined
          }
        />
      ) : (
        <>
          <ConnectionTable connections={query.data.items} canManage={canManage} />
          <Pager total={query.data.total} offset={offset} pageSize={PAGE_SIZE} onOffset={setOffset} />
        </>
      )}

      <Dialog open={registering} onOpenChange={setRegistering}>
        <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Register a database</DialogTitle>
            <DialogDescription>The connection is tested before it is saved; the password is stored encrypted.</DialogDescription>
          </DialogHeader>
          {registering ? <ConnectionForm onDone={() => setRegistering(false)} onCancel={() => setRegistering(false)} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}

function ConnectionTable({ connections, canManage }: { connections: Connection[]; canManage: boolean }) {
  return (
    <Table aria-label="Registered databases">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Tier</TableHead>
          <TableHead>Region</TableHead>
          <TableHead>Location</TableHead>
          <TableHead>Health</TableHead>
          <TableHead>Status</TableHead>
          {canManage ? <TableHeadSrOnly>Actions</TableHeadSrOnly> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {connections.map((c) => (
          <TableRow key={c.id} data-testid={`connection-${c.name}`}>
            <TableCell className="font-medium">
              <Link href={`/databases/${c.id}`} className="hover:underline">
                {c.name}
              </Link>
            </TableCell>
            <TableCell>{tierLabel(c.connection_type)}</TableCell>
            <TableCell>{c.region ?? "—"}</TableCell>
            <TableCell className="font-mono text-xs">
              {c.host}:{c.port}/{c.database_name}
            </TableCell>
            <TableCell>
              <HealthBadge
                status={healthStatusOf(c.is_healthy)}
                detail={c.is_healthy === false ? c.health_error : c.response_time_ms !== null ? `${c.response_time_ms} ms` : null}
              />
            </TableCell>
            <TableCell>{c.is_active ? <Badge variant="outline">Active</Badge> : <Badge variant="secondary">Inactive</Badge>}</TableCell>
            {canManage ? (
              <TableCell className="text-right">
                <ConnectionActions connection={c} />
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
