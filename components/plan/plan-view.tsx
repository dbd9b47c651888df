"use client";

import { ListChecks } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef } from "react";
import { usePlan, type PlanRequest, type PlanTargetStatus } from "@/components/api/get-plan";
import { describeScope, scopeProblem } from "@/components/api/scope-request";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { LoadingState } from "@/components/ui/spinner";
import { PlanActions } from "./plan-actions";
import { PlanFindings } from "./plan-findings";
import { PlanMigrations } from "./plan-migrations";
import { PlanProviders } from "./plan-providers";
import { PLAN_SUMMARY_TITLE, PlanSummary } from "./plan-summary";
import { PLAN_FILTERS, PlanTargetsTable } from "./plan-targets-table";
import { REHEARSAL_TITLE, RehearsalPanel } from "./rehearsal-panel";
import { ScopeChooser } from "./scope-chooser";
import { scopeFromParams, scopeToParams } from "./scope-params";

const PAGE_SIZE = 100;
const STATUSES = PLAN_FILTERS.map((f) => f.value);

/**
 * The Plan page: choose a scope, read what executing it would do target by target, then rehearse
 * and execute exactly that plan. Everything that defines the page lives in the URL.
 */
export function PlanView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const scope = useMemo(() => scopeFromParams(new URLSearchParams(params)), [params]);
  const statusParam = params.get("status") as PlanTargetStatus | null;
  const status = statusParam && STATUSES.includes(statusParam) ? statusParam : "all";
  const offset = Math.max(0, Number(params.get("offset")) || 0);
  const rehearsalId = params.get("rehearsal");

  const request: PlanRequest | null =
    scope && !scopeProblem(scope) ? { ...scope, ...(status !== "all" ? { status } : {}), limit: PAGE_SIZE, offset } : null;
  // The plan on screen: its other pages and statuses are read from it, not planned again.
  const shown = useRef<string | null>(null);
  const plan = usePlan(request, () => shown.current);
  useEffect(() => {
    if (plan.data) shown.current = plan.data.fingerprint;
  }, [plan.data]);

  // After "Preview plan" and after "Dry-run" the keyboard focus moves to the result's heading,
  // rather than staying on a button the page re-rendered (and falling back to the top).
  const focusNext = useRef<"plan" | "rehearsal" | null>(null);
  useEffect(() => {
    if (focusNext.current === "plan" && plan.data && !plan.isFetching) {
      focusNext.current = null;
      document.getElementById(PLAN_SUMMARY_TITLE)?.focus();
    }
  }, [plan.data, plan.isFetching]);
  useEffect(() => {
    if (focusNext.current === "rehearsal" && rehearsalId) {
      focusNext.current = null;
      document.getElementById(REHEARSAL_TITLE)?.focus();
    }
  }, [rehearsalId]);

  const navigate = (next: URLSearchParams) => router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    if (key !== "offset") next.delete("offset");
    navigate(next);
  };

  const tenantLabels = useMemo(() => {
    const map = new Map<string, string>();
    for (const t of plan.data?.targets ?? []) if (t.tenant_id && t.tenant_slug) map.set(t.tenant_id, t.tenant_slug);
    return map;
  }, [plan.data]);

  return (
    <>
      <PageHeader
        title="Plan"
        description="Choose what to migrate and see exactly what would change on each target. Rehearse it, then execute that same plan."
      />
      <div className="grid min-w-0 grid-cols-1 gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Scope</CardTitle>
          </CardHeader>
          <CardContent>
            <ScopeChooser
              key={scope ? JSON.stringify(scope) : "none"}
              initial={scope}
              tenantLabels={tenantLabels}
              busy={plan.isFetching}
              onSubmit={(s) => {
                focusNext.current = "plan";
                const next = scopeToParams(s, new URLSearchParams(params));
                next.delete("offset");
                next.delete("status");
                next.delete("rehearsal");
                navigate(next);
                if (scope && JSON.stringify(s) === JSON.stringify(scope)) void plan.refetch();
              }}
            />
          </CardContent>
        </Card>

        {!request ? (
          <EmptyState
            icon={ListChecks}
            title="Choose a scope to see its plan"
            description="The plan reads every target's migration history and lists what is pending, drifted or blocked. Nothing changes until you execute."
          />
        ) : plan.isError ? (
          <ErrorState
            title="The plan could not be made"
            message={plan.error.message}
            onRetry={() => plan.refetch()}
            retrying={plan.isFetching}
          />
        ) : plan.isPending ? (
          <div className="grid gap-4">
            <LoadingState label={`Planning: ${describeScope(scope!)}…`} className="py-2" />
            <Skeleton className="h-40 w-full" />
            <Skeleton className="h-72 w-full" />
          </div>
        ) : (
          <>
            <PlanSummary
              plan={plan.data}
              refreshing={plan.isFetching}
              onRefresh={() => void plan.refetch()}
              actions={
                <PlanActions
                  plan={plan.data}
                  scope={scope!}
                  rehearsalId={rehearsalId}
                  onRehearsal={(id) => {
                    focusNext.current = "rehearsal";
                    setParam("rehearsal", id);
                  }}
                />
              }
            />
            <PlanProviders
              plan={plan.data}
              onInclude={(include) => {
                focusNext.current = "plan";
                const next = scopeToParams({ ...scope!, include_providers: include || undefined }, new URLSearchParams(params));
                for (const key of ["offset", "status", "rehearsal"]) next.delete(key);
                navigate(next);
              }}
            />
            {rehearsalId ? <RehearsalPanel id={rehearsalId} fingerprint={plan.data.fingerprint} /> : null}
            <PlanFindings plan={plan.data} scope={scope!} />
            <PlanMigrations plan={plan.data} />
            <Card className="min-w-0">
              <CardHeader>
                <CardTitle>Targets</CardTitle>
              </CardHeader>
              <CardContent>
                <PlanTargetsTable
                  plan={plan.data}
                  status={status}
                  onStatus={(s) => setParam("status", s === "all" ? null : s)}
                  onPage={(o) => setParam("offset", o ? String(o) : null)}
                />
              </CardContent>
            </Card>
          </>
        )}
      </div>
    </>
  );
}
