"use client";

import { BookOpen, FileWarning, FileX } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { useCatalog, type Catalog, type CatalogMigration } from "@/components/api/get-catalog";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { LoadingState } from "@/components/ui/spinner";
import { DependencyGraph } from "./dependency-graph";
import { MigrationDetail } from "./migration-detail";

const TIERS = ["admin", "shared", "analytics", "tenant"] as const;
const TIER_HINTS: Record<string, string> = {
  admin: "the one admin database",
  shared: "each region's shared database",
  analytics: "analytics databases",
  tenant: "every tenant schema",
};

/** The migration catalog: files per tier, their dependency graph, and one file in detail. */
export function CatalogView() {
  const catalog = useCatalog();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const migrations = catalog.data?.migrations;
  const selectedId = params.get("file") ?? migrations?.[0]?.id ?? null;
  const selected = migrations?.find((m) => m.id === selectedId) ?? null;

  const requiredBy = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const m of migrations ?? []) for (const r of m.requires) map.set(r, [...(map.get(r) ?? []), m.id]);
    return map;
  }, [migrations]);

  const select = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("file", id);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  const header = (
    <PageHeader
      title="Catalog"
      description={
        catalog.data
          ? `${catalog.data.migrations.length} migration files from ${catalog.data.dir}, in the order they can run.`
          : "The migration files, their SQL and how they depend on each other."
      }
      actions={
        catalog.data ? (
          <span className="font-mono text-xs text-muted-foreground" title={catalog.data.checksum}>
            catalog {catalog.data.checksum.slice(0, 12)}
            {catalog.data.loaded_at ? ` · loaded ${new Date(catalog.data.loaded_at).toLocaleString()}` : ""}
          </span>
        ) : null
      }
    />
  );

  if (catalog.isError) {
    return (
      <>
        {header}
        <ErrorState
          title="The catalog could not be loaded"
          message={catalog.error.message}
          onRetry={() => catalog.refetch()}
          retrying={catalog.isFetching}
        />
      </>
    );
  }
  if (catalog.isPending) {
    return (
      <>
        {header}
        <LoadingState label="Loading the catalog…" className="py-4" />
        <Skeleton className="h-64 w-full" />
      </>
    );
  }
  const problems = catalog.data.problems.length ? <CatalogProblems catalog={catalog.data} /> : null;
  if (catalog.data.migrations.length === 0) {
    return (
      <>
        {header}
        {problems}
        <EmptyState
          icon={BookOpen}
          title="No migration files yet"
          description={`Add files such as tenant/0001_accounts.sql under ${catalog.data.dir}; the console reloads the catalog when files change.`}
        />
      </>
    );
  }

  const byTier = TIERS.map((tier) => ({ tier, files: catalog.data.migrations.filter((m) => m.tier === tier) })).filter(
    (t) => t.files.length > 0,
  );
  const warnings = catalog.data.migrations.reduce((n, m) => n + m.warnings.length, 0);
  const noDown = catalog.data.migrations.filter((m) => !m.has_down).length;

  return (
    <>
      {header}
      <div className="grid min-w-0 grid-cols-1 gap-6">
        {problems}
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Dependencies</CardTitle>
            <CardDescription>
              Each tier runs in version order (dashed); blue arrows are <code className="font-mono">-- requires:</code>{" "}
              headers across tiers. {warnings} engine warning{warnings === 1 ? "" : "s"}, {noDown} irreversible file
              {noDown === 1 ? "" : "s"} (no down part).
            </CardDescription>
          </CardHeader>
          <CardContent>
            <DependencyGraph migrations={catalog.data.migrations} selected={selectedId} onSelect={select} />
          </CardContent>
        </Card>

        <div className="grid items-start gap-6 lg:grid-cols-[minmax(16rem,20rem)_minmax(0,1fr)]">
          <nav aria-label="Migration files" className="grid gap-4">
            {byTier.map(({ tier, files }) => (
              <section key={tier} aria-labelledby={`tier-${tier}`} className="grid gap-1.5">
                <h2 id={`tier-${tier}`} className="flex items-baseline justify-between px-1 text-sm font-semibold capitalize">
                  {tier}
                  <span className="text-xs font-normal text-muted-foreground normal-case">{TIER_HINTS[tier]}</span>
                </h2>
                <ul className="grid gap-1">
                  {files.map((m) => (
                    <li key={m.id}>
                      <FileButton migration={m} selected={m.id === selectedId} onSelect={select} />
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </nav>
          {selected ? (
            <MigrationDetail migration={selected} requiredBy={requiredBy.get(selected.id) ?? []} onSelect={select} />
          ) : (
            <EmptyState icon={FileWarning} title="No such file" description={`${selectedId} is not in the catalog.`} />
          )}
        </div>
      </div>
    </>
  );
}

function FileButton({ migration: m, selected, onSelect }: { migration: CatalogMigration; selected: boolean; onSelect: (id: string) => void }) {
  return (
    <button
      type="button"
      onClick={() => onSelect(m.id)}
      aria-current={selected ? "true" : undefined}
      className={cn(
        "flex w-full flex-wrap items-center gap-x-2 gap-y-1 rounded-md border px-3 py-2 text-left text-sm transition-colors",
        selected ? "border-primary bg-accent" : "border-transparent hover:bg-accent",
      )}
    >
      <span className="font-mono text-xs text-muted-foreground">{m.version}</span>
      <span className="min-w-0 flex-1 truncate font-medium">{m.name}</span>
      {m.warnings.length ? <Badge variant="warning">{m.warnings.length} warning{m.warnings.length === 1 ? "" : "s"}</Badge> : null}
      {!m.has_down ? (
        <Badge variant="warning" title="No down part: a rollback refuses this file">
          irreversible
        </Badge>
      ) : null}
      {!m.transactional ? <Badge variant="info">no transaction</Badge> : null}
      {m.requires.length ? <Badge variant="secondary">requires {m.requires.length}</Badge> : null}
    </button>
  );
}

/**
 * Files that did not load, each with its line and reason. Their tiers are not planned until they
 * are fixed; the other tiers plan and execute as usual.
 */
function CatalogProblems({ catalog }: { catalog: Catalog }) {
  const tiers = catalog.broken_tiers;
  return (
    <Card className="min-w-0 border-destructive-border" aria-labelledby="catalog-problems-title">
      <CardHeader>
        <CardTitle id="catalog-problems-title" className="flex items-center gap-2">
          <FileX className="size-4 text-destructive-soft-foreground" aria-hidden />
          {catalog.problems.length} file problem{catalog.problems.length === 1 ? "" : "s"}
        </CardTitle>
        <CardDescription>
          These files did not load. Targets of the {tiers.join(", ")} tier{tiers.length === 1 ? " are" : "s are"} not planned
          until they are fixed; the other tiers plan and execute as usual. The catalog reloads when a file changes.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-2 text-sm" aria-label="Catalog problems">
          {catalog.problems.map((p) => (
            <li key={`${p.file}:${p.line}:${p.code}`} className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
              <span className="font-mono text-xs font-medium">
                {p.file}:{p.line}
              </span>
              <Badge variant="destructive">{p.code.replaceAll("_", " ")}</Badge>
              <span className="min-w-0 break-words text-muted-foreground">{p.reason}</span>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
