"use client";

import { TriangleAlert } from "lucide-react";
import type { CatalogMigration } from "@/components/api/get-catalog";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";

/** One migration file: what it needs, how it runs, what the engine warns about, and its SQL. */
export function MigrationDetail({
  migration: m,
  requiredBy,
  onSelect,
}: {
  migration: CatalogMigration;
  requiredBy: string[];
  onSelect: (id: string) => void;
}) {
  const upSql = m.up.statements.map((s) => `${s.sql};`).join("\n\n");
  const downSql = m.down ? m.down.statements.map((s) => `${s.sql};`).join("\n\n") : "";
  return (
    <Card aria-labelledby="migration-title" className="min-w-0">
      <CardHeader>
        <CardTitle id="migration-title" className="font-mono text-[15px] break-all">
          {m.id}
        </CardTitle>
        <CardDescription className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span className="font-mono">{m.file}</span>
          <span aria-hidden>·</span>
          <span className="inline-flex items-center font-mono text-xs" title={m.checksum}>
            sha256 {m.checksum.slice(0, 12)}…
            <CopyButton value={m.checksum} label={`Copy checksum of ${m.id}`} className="size-7" />
          </span>
        </CardDescription>
      </CardHeader>
      <CardContent className="grid min-w-0 gap-5">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Requires</dt>
          <dd className="flex flex-wrap gap-1.5">
            {m.requires.length === 0 ? <span className="text-muted-foreground">nothing beyond its tier&apos;s order</span> : null}
            {m.requires.map((id) => (
              <FileLink key={id} id={id} onSelect={onSelect} />
            ))}
          </dd>
          <dt className="text-muted-foreground">Required by</dt>
          <dd className="flex flex-wrap gap-1.5">
            {requiredBy.length === 0 ? <span className="text-muted-foreground">no other file names it</span> : null}
            {requiredBy.map((id) => (
              <FileLink key={id} id={id} onSelect={onSelect} />
            ))}
          </dd>
          <dt className="text-muted-foreground">Transaction</dt>
          <dd>
            {m.transactional ? (
              "one transaction with its history row"
            ) : (
              <Badge variant="info">transaction: false — runs statement by statement</Badge>
            )}
          </dd>
          <dt className="text-muted-foreground">Timeout</dt>
          <dd>{m.timeout_ms === null ? "MIGRATION_TIMEOUT (default)" : formatSeconds(m.timeout_ms)}</dd>
          <dt className="text-muted-foreground">Down part</dt>
          <dd>
            {m.has_down ? (
              <Badge variant="success">present — can be rolled back</Badge>
            ) : (
              <Badge variant="warning">irreversible: none (or an empty one) — a rollback including it is refused</Badge>
            )}
          </dd>
        </dl>

        {m.warnings.length ? (
          <section aria-label="Engine warnings" className="grid gap-2">
            {m.warnings.map((w, i) => (
              <div
                key={`${w.code}-${i}`}
                className="flex gap-2.5 rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground"
              >
                <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
                <p>
                  <span className="font-mono text-xs font-semibold">{w.code}</span> (line {w.line}): {w.message}
                </p>
              </div>
            ))}
          </section>
        ) : null}

        <Tabs defaultValue="source" className="min-w-0">
          <TabsList aria-label="SQL view">
            <TabsTrigger value="source">File</TabsTrigger>
            <TabsTrigger value="up">Up ({m.up.statements.length})</TabsTrigger>
            <TabsTrigger value="down" disabled={!m.down}>
              Down {m.down ? `(${m.down.statements.length})` : "(none)"}
            </TabsTrigger>
          </TabsList>
          <TabsContent value="source">
            <CodeBlock code={m.source} label={`SQL of ${m.file}`} lineNumbers className="max-h-[32rem]" />
          </TabsContent>
          <TabsContent value="up" className="grid gap-3">
            <StatementKinds statements={m.up.statements} />
            <CodeBlock code={upSql} label={`Up statements of ${m.file}`} className="max-h-[32rem]" />
          </TabsContent>
          <TabsContent value="down" className="grid gap-3">
            {m.down ? <StatementKinds statements={m.down.statements} /> : null}
            <CodeBlock code={downSql} label={`Down statements of ${m.file}`} className="max-h-[32rem]" />
          </TabsContent>
        </Tabs>
      </CardContent>
    </Card>
  );
}

function StatementKinds({ statements }: { statements: CatalogMigration["up"]["statements"] }) {
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Statements by kind">
      {statements.map((s, i) => (
        <li key={i}>
          <Badge variant="secondary" className="font-mono">
            line {s.line}: {statementKind(s.kind)}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

const KINDS: Record<string, string> = {
  CreateStmt: "CREATE TABLE",
  IndexStmt: "CREATE INDEX",
  InsertStmt: "INSERT",
  UpdateStmt: "UPDATE",
  DeleteStmt: "DELETE",
  AlterTableStmt: "ALTER TABLE",
  DropStmt: "DROP",
  CreateFunctionStmt: "CREATE FUNCTION",
  ViewStmt: "CREATE VIEW",
  CreateSchemaStmt: "CREATE SCHEMA",
  CreateExtensionStmt: "CREATE EXTENSION",
  RenameStmt: "RENAME",
  CreateTrigStmt: "CREATE TRIGGER",
};

/** The parser's node name as the SQL people write ("IndexStmt" → "CREATE INDEX"). */
function statementKind(kind: string): string {
  return KINDS[kind] ?? kind.replace(/Stmt$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
}

function FileLink({ id, onSelect }: { id: string; onSelect: (id: string) => void }) {
  return (
    <button
      type="button"
      onClick={() => onSelect(id)}
      className="rounded border px-1.5 py-0.5 font-mono text-xs text-primary hover:bg-accent"
    >
      {id}
    </button>
  );
}

function formatSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 && s % 60 === 0 ? `${s / 60} min (file's timeout)` : `${s} s (file's timeout)`;
}
