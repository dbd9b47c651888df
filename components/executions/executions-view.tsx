"use client";

import { History, ListChecks } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useExecutions, type ExecutionFilters } from "@/components/api/list-executions";
import { SCOPE_LABELS } from "@/components/api/scope-request";
import { SEARCH_DEBOUNCE_MS } from "@/components/api/use-debounced-value";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { FilterSelect } from "@/components/ui/filter-select";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { PageButtons } from "@/components/ui/pager";
import { Skeleton } from "@/components/ui/skeleton";
import { STATUS_APPEARANCE } from "@/components/ui/status";
import type { ExecutionKind, ExecutionStatus, Scope } from "@/server/domain/executions";
import { KIND_LABELS } from "./describe-execution";
import { ExecutionsTable } from "./executions-table";

const PAGE_SIZE = 25;
const ANY = "any";

/** Every execution, newest first, filtered by status, scope, kind, who and dry-run (all in the URL). */
export function ExecutionsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const canRun = useCan("executions.run");
  const get = (key: string) => params.get(key) ?? ANY;
  const offset = Math.max(0, Number(params.get("offset")) || 0);
  const [who, setWho] = useState(params.get("executed_by") ?? "");

  const filters: ExecutionFilters = {
    status: get("status") === ANY ? undefined : (get("status") as ExecutionStatus),
    scope: get("scope") === ANY ? undefined : (get("scope") as Scope),
    kind: get("kind") === ANY ? undefined : (get("kind") as ExecutionKind),
    executed_by: params.get("executed_by") || undefined,
    dry_run: get("dry_run") === ANY ? undefined : get("dry_run") === "true",
    limit: PAGE_SIZE,
    offset,
  };
  const list = useExecutions(filters);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (!value || value === ANY) next.delete(key);
    else next.set(key, value);
    if (key !== "offset") next.delete("offset");
    router.replace(`${pathname}${next.size ? `?${next.toString()}` : ""}`, { scroll: false });
  };

  // Typing a name filters once the typing pauses, not on every key.
  useEffect(() => {
    const current = params.get("executed_by") ?? "";
    if (who.trim() === current) return;
    const timer = setTimeout(() => set("executed_by", who.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `set` is recreated every render; `who` drives this.
  }, [who]);

  const filtered = Object.entries(filters).some(([k, v]) => k !== "limit" && k !== "offset" && v !== undefined);

  return (
    <>
      <PageHeader
        title="Executions"
        description="Every migration, rehearsal and rollback, newest first. Open one to follow it live."
        actions={
          canRun ? (
            <Button asChild>
              <Link href="/plan">
                <ListChecks aria-hidden />
                Plan a migration
              </Link>
            </Button>
          ) : null
        }
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-5" role="search" aria-label="Filter executions">
        <FilterSelect
          label="Status"
          value={get("status")}
          onChange={(v) => set("status", v)}
          all={{ value: ANY, label: "Status: any" }}
          options={Object.entries(STATUS_APPEARANCE.execution).map(([value, a]) => ({ value, label: a.label }))}
        />
        <FilterSelect
          label="Scope"
          value={get("scope")}
          onChange={(v) => set("scope", v)}
          all={{ value: ANY, label: "Scope: any" }}
          options={Object.entries(SCOPE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <FilterSelect
          label="Kind"
          value={get("kind")}
          onChange={(v) => set("kind", v)}
          all={{ value: ANY, label: "Kind: any" }}
          options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <FilterSelect
          label="Dry-run"
          value={get("dry_run")}
          onChange={(v) => set("dry_run", v)}
          all={{ value: ANY, label: "Dry-run: any" }}
          options={[
            { value: "true", label: "Dry-runs only" },
            { value: "false", label: "Real runs only" },
          ]}
        />
        <Input aria-label="Started by" placeholder="Started by (user name)" value={who} onChange={(e) => setWho(e.target.value)} />
      </div>

      {list.isError ? (
        <ErrorState title="Executions could not be loaded" message={list.error.message} onRetry={() => list.refetch()} />
      ) : list.isPending ? (
        <Skeleton className="h-72 w-full" />
      ) : list.data.executions.length === 0 ? (
        <EmptyState
          icon={History}
          title={filtered ? "No execution matches these filters" : "No executions yet"}
          description={filtered ? "Clear a filter to see more." : "Plan a scope, rehearse it and execute it: each run appears here."}
          action={
            filtered ? (
              <Button variant="outline" onClick={() => router.replace(pathname)}>
                Clear filters
              </Button>
            ) : canRun ? (
              <Button asChild>
                <Link href="/plan">Plan a migration</Link>
              </Button>
            ) : null
          }
        />
      ) : (
        <Card className="min-w-0">
          <CardContent className="pt-3">
            <ExecutionsTable executions={list.data.executions} />
            <div className="mt-3 flex items-center justify-between text-sm text-muted-foreground">
              <span>
                {offset + 1}–{offset + list.data.executions.length} of {list.data.total}
              </span>
              <PageButtons
                total={list.data.total}
                offset={offset}
                pageSize={PAGE_SIZE}
                onOffset={(o) => set("offset", String(o))}
                previous="Newer"
                next="Older"
              />
            </div>
          </CardContent>
        </Card>
      )}
    </>
  );
}
