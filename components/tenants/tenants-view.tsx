"use client";

import { Plus, ScanSearch, UsersIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useDebouncedValue } from "@/components/api/use-debounced-value";
import { useHostingConnections } from "@/components/api/list-hosting-connections";
import { useTenants, type TenantFilters } from "@/components/api/list-tenants";
import { LastRunCell, MIGRATION_STATE_LABELS, PendingCell, VersionCell } from "@/components/fleet-state/migration-state";
import { useCan, useHasPermission } from "@/components/providers/viewer-context";
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
import { SortableHead, type SortOrder } from "@/components/ui/sortable-head";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";
import type { MigrationStateFilter } from "@/server/contracts/migration-state";
import type { TenantStatus } from "@/server/domain/fleet";
import type { TenantListQuery } from "@/server/tenants/schemas";
import { DiscoverTenants } from "./discover-tenants";
import { TenantForm } from "./tenant-form";
import { TENANT_STATUS_LABELS, TenantStatusBadge } from "./tenant-status-badge";
import { TenantStatusActions } from "./tenant-status-menu";

const PAGE_SIZE = 50;
const ALL = "all";

type Sort = TenantListQuery["sort"];

/** Filters the page can open with (the Overview links to /tenants?state=behind&region=…). */
export interface TenantsViewInitial {
  state?: MigrationStateFilter;
  region?: string;
}

/**
 * The Tenants page: filters (migration state among them), the list with each tenant's version,
 * pending count and last run, sortable; and (for databases:manage) register, discover and status
 * changes.
 */
export function TenantsView({ initial = {} }: { initial?: TenantsViewInitial }) {
  const canManage = useCan("tenants.manage");
  const canSeeDatabases = useHasPermission("databases:read");
  const [search, setSearch] = useState("");
  const [region, setRegion] = useState(initial.region ?? "");
  const [status, setStatus] = useState<string>(ALL);
  const [state, setState] = useState<string>(initial.state ?? ALL);
  const [sort, setSort] = useState<{ by: Sort; order: SortOrder }>({ by: "tenant", order: "asc" });
  const [connectionId, setConnectionId] = useState<string>(ALL);
  const [offset, setOffset] = useState(0);
  const [dialog, setDialog] = useState<"register" | "discover" | null>(null);
  const deferredSearch = useDebouncedValue(search.trim());
  const deferredRegion = useDebouncedValue(region.trim());

  const filters: TenantFilters = {
    search: deferredSearch || undefined,
    region: /^[a-z0-9][a-z0-9-]*$/.test(deferredRegion) ? deferredRegion : undefined,
    status: status === ALL ? undefined : (status as TenantStatus),
    connection_id: connectionId === ALL ? undefined : connectionId,
    state: state === ALL ? undefined : (state as MigrationStateFilter),
    sort: sort.by,
    order: sort.order,
    limit: PAGE_SIZE,
    offset,
  };
  const query = useTenants(filters);
  const connections = useHostingConnections(canSeeDatabases);
  const reset = <T,>(setter: (v: T) => void) => (v: T) => {
    setter(v);
    setOffset(0);
  };
  const sortable = (by: Sort, label: string, className?: string) => (
    <SortableHead label={label} active={sort.by === by} order={sort.order} onSort={(order) => reset(setSort)({ by, order })} className={className} />
  );

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Customers and the schema each one lives in. Active tenants are migration targets."
        actions={
          canManage ? (
            <>
              <Button variant="outline" onClick={() => setDialog("discover")}>
                <ScanSearch aria-hidden />
                Discover schemas
              </Button>
              <Button onClick={() => setDialog("register")}>
                <Plus aria-hidden />
                Register tenant
              </Button>
            </>
          ) : null
        }
      />

      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-5" role="search" aria-label="Filter tenants">
        <SearchInput
          aria-label="Search slug, name or schema"
          placeholder="Search slug, name or schema"
          value={search}
          onChange={(e) => reset(setSearch)(e.target.value)}
        />
        <Input aria-label="Region" placeholder="Region, e.g. eu-west-1" value={region} onChange={(e) => reset(setRegion)(e.target.value)} />
        <FilterSelect
          label="Status"
          value={status}
          onChange={reset(setStatus)}
          all={{ value: ALL, label: "Every status" }}
          options={Object.entries(TENANT_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <FilterSelect
          label="Migration state"
          value={state}
          onChange={reset(setState)}
          all={{ value: ALL, label: "Every migration state" }}
          options={Object.entries(MIGRATION_STATE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        {canSeeDatabases ? (
          <FilterSelect
            label="Database"
            value={connectionId}
            onChange={reset(setConnectionId)}
            all={{ value: ALL, label: "Every database" }}
            options={(connections.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        ) : null}
      </div>

      {query.isError ? (
        <ErrorState title="Tenants could not be loaded" message={query.error.message} onRetry={() => query.refetch()} retrying={query.isFetching} />
      ) : query.isPending ? (
        <div className="grid gap-2" aria-busy>
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-10" />
          ))}
        </div>
      ) : query.data.total === 0 ? (
        <EmptyState
          icon={UsersIcon}
          title={
            filters.search || filters.region || filters.status || filters.connection_id || filters.state
              ? "No tenant matches these filters"
              : "No tenant registered yet"
          }
          description={canManage ? "Register tenants one by one, or discover the schemas already on a shared database." : undefined}
        />
      ) : (
        <>
          <Table aria-label="Tenants">
            <TableHeader>
              <TableRow>
                {sortable("tenant", "Tenant")}
                <TableHead>Region</TableHead>
                <TableHead>Database</TableHead>
                <TableHead>Schema</TableHead>
                {sortable("version", "Version")}
                {sortable("pending", "Pending")}
                {sortable("last_run", "Last run")}
                <TableHead>Status</TableHead>
                {canManage ? <TableHeadSrOnly>Actions</TableHeadSrOnly> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {query.data.items.map((t) => (
                <TableRow key={t.id} data-testid={`tenant-${t.slug}`}>
                  <TableCell>
                    <Link href={`/tenants/${t.id}`} className="font-medium hover:underline">
                      {t.name}
                    </Link>
                    <div className="text-xs text-muted-foreground">{t.slug}</div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{t.region}</TableCell>
                  <TableCell className="whitespace-nowrap">{t.connection_name ?? "—"}</TableCell>
                  <TableCell className="font-mono text-xs">{t.schema_name}</TableCell>
                  <TableCell>
                    <VersionCell state={t.migration_state} />
                  </TableCell>
                  <TableCell>
                    <PendingCell state={t.migration_state} />
                  </TableCell>
                  <TableCell>
                    <LastRunCell state={t.migration_state} />
                  </TableCell>
                  <TableCell>
                    <TenantStatusBadge status={t.status} />
                  </TableCell>
                  {canManage ? (
                    <TableCell className="text-right">
                      <TenantStatusActions tenant={t} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager total={query.data.total} offset={offset} pageSize={PAGE_SIZE} onOffset={setOffset} />
        </>
      )}

      <Dialog open={dialog !== null} onOpenChange={(o) => setDialog(o ? dialog : null)}>
        <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>{dialog === "discover" ? "Discover tenant schemas" : "Register a tenant"}</DialogTitle>
            <DialogDescription>
              {dialog === "discover"
                ? "Schemas on a database that match a pattern and are not registered yet. The chosen ones are registered together, or none is."
                : "A tenant lives in one schema of its region's shared database, or in a dedicated tenant database."}
            </DialogDescription>
          </DialogHeader>
          {dialog === "register" ? <TenantForm onDone={() => setDialog(null)} onCancel={() => setDialog(null)} /> : null}
          {dialog === "discover" ? <DiscoverTenants onDone={() => setDialog(null)} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}
