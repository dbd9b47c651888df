"use client";

import { ChevronDown, ChevronRight, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useCatalog } from "@/components/api/get-catalog";
import type { Plan } from "@/components/api/get-plan";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { Skeleton } from "@/components/ui/skeleton";
import { LevelBadge, SizeFlagItem, type SizeFlag } from "./size-flags";
import { findingsByStatement } from "./sql-review";

/** A lint finding, or a size flag (`size`), placed on its statement. */
interface StatementFinding {
  code: string;
  message: string;
  line: number;
  level: SizeFlag["level"];
  size: SizeFlag | null;
}

/** The size flags measured on one pending migration's statements. */
function sizeFlagsOf(plan: Plan, migrationId: string): SizeFlag[] {
  return plan.review.size.flags.filter((f) => f.migration_id === migrationId);
}

type PendingMigration = Plan["migrations"][number];

/**
 * Every migration pending somewhere in the plan, in the order they run; each opens to the SQL it
 * will run, statement by statement, with the engine's lint findings on the statements they concern.
 */
export function PlanMigrations({ plan }: { plan: Plan }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  if (plan.migrations.length === 0) return null;
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Card aria-labelledby="plan-migrations-title">
      <CardHeader>
        <CardTitle id="plan-migrations-title">Migrations in this plan</CardTitle>
        <CardDescription>
          In the order they run; each target runs the ones it lacks (its details list exactly which). Open one to review its SQL.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-1.5 text-sm">
          {plan.migrations.map((m) => {
            const isOpen = open.has(m.id);
            const sqlId = `sql-${m.id.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
            return (
              <li key={m.id} className="grid min-w-0 gap-2" data-migration={m.id}>
                <div className="flex flex-wrap items-center gap-1.5">
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-expanded={isOpen}
                    aria-controls={isOpen ? sqlId : undefined}
                    aria-label={`${isOpen ? "Hide" : "Show"} SQL of ${m.id}`}
                    onClick={() => toggle(m.id)}
                  >
                    {isOpen ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />}
                  </Button>
                  <Link href={`/catalog?file=${encodeURIComponent(m.id)}`} className="font-mono text-[13px] hover:underline">
                    {m.id}
                  </Link>
                  {!m.transactional ? <Badge variant="info">no transaction</Badge> : null}
                  {!m.has_down ? <Badge variant="warning" title="No down part: a rollback refuses it">irreversible</Badge> : null}
                  {m.warnings.length ? <Badge variant="warning">{m.warnings.length} warning{m.warnings.length === 1 ? "" : "s"}</Badge> : null}
                  {sizeFlagsOf(plan, m.id).length ? <Badge variant="warning">large table</Badge> : null}
                </div>
                {isOpen ? <MigrationSql id={sqlId} migration={m} sizeFlags={sizeFlagsOf(plan, m.id)} /> : null}
              </li>
            );
          })}
        </ol>
      </CardContent>
    </Card>
  );
}

/** The up part's statements as the engine will run them, findings under the statement they concern. */
function MigrationSql({ id, migration, sizeFlags }: { id: string; migration: PendingMigration; sizeFlags: readonly SizeFlag[] }) {
  const catalog = useCatalog();
  const file = catalog.data?.migrations.find((c) => c.id === migration.id);
  return (
    <div id={id} className="ml-8 grid min-w-0 gap-3 rounded-md border bg-muted/40 p-3" role="region" aria-label={`SQL of ${migration.id}`}>
      {catalog.isPending ? (
        <Skeleton className="h-24 w-full" />
      ) : catalog.isError ? (
        <p className="text-sm text-destructive-soft-foreground">The SQL could not be loaded: {catalog.error.message}</p>
      ) : !file ? (
        <p className="text-sm text-muted-foreground">This file is no longer in the catalog: plan again to see what would run.</p>
      ) : file.checksum !== migration.checksum ? (
        <p className="text-sm text-muted-foreground">The file changed since this plan was made: plan again to review what would run.</p>
      ) : (
        <>
          <p className="text-xs text-muted-foreground">
            {file.file} · {file.transactional ? "one transaction with its history row" : "transaction: false — statement by statement"}
          </p>
          <ol className="grid min-w-0 gap-2">
            {findingsByStatement<StatementFinding>(file.up.statements, [
              ...migration.warnings.map((w) => ({ ...w, size: null })),
              ...sizeFlags.map((f) => ({ code: f.rule, message: f.message, line: f.line, level: f.level, size: f })),
            ]).map(({ statement, findings }) => (
              <li key={statement.line} className="grid min-w-0 gap-1" data-testid="statement" data-line={statement.line}>
                <span className="text-xs text-muted-foreground">line {statement.line}</span>
                <CodeBlock code={`${statement.sql};`} label={`${migration.file}, statement at line ${statement.line}`} className="text-xs" />
                {findings.map((f, i) =>
                  f.size ? (
                    <SizeFlagItem key={`${f.code}-${i}`} flag={f.size} showFile={false} />
                  ) : (
                  <p
                    key={`${f.code}-${i}`}
                    className="flex gap-2 rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground"
                    data-testid="lint-finding"
                  >
                    <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
                    <span className="flex flex-wrap items-center gap-x-2">
                      <LevelBadge level={f.level} />
                      <span>
                        <span className="font-mono text-xs font-semibold">{f.code}</span> (line {f.line}): {f.message}
                      </span>
                    </span>
                  </p>
                  ),
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
