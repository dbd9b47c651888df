"use client";

import { Search } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { refusedReport } from "@/components/api/baseline-migrations";
import { useDiscoverTenantSchemas } from "@/components/api/discover-tenant-schemas";
import { ApiError } from "@/components/api/fetch-json";
import { useCatalog } from "@/components/api/get-catalog";
import { useHostingConnections } from "@/components/api/list-hosting-connections";
import { useRegisterDiscoveredTenants } from "@/components/api/register-discovered-tenants";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeadSrOnly, TableHeader, TableRow } from "@/components/ui/table";
import type { DiscoverResult } from "@/server/tenants/schemas";

interface Row {
  schema_name: string;
  selected: boolean;
  slug: string;
  name: string;
  problem: string | null;
}

/** "Do not baseline" in the version choice. */
const NO_BASELINE = "none";

/**
 * Find schemas on a database that look like tenants but are not registered, and register the chosen
 * ones in one all-or-nothing call (slugs and names editable first). With migrations:manage, schemas
 * that already hold the tenant tier's objects can be baselined in the same call: their objects are
 * checked first, and what a schema lacks is shown next to it (nothing is registered then).
 */
export function DiscoverTenants({ onDone }: { onDone: () => void }) {
  const connections = useHostingConnections();
  const discoverSchemas = useDiscoverTenantSchemas();
  const registerDiscovered = useRegisterDiscoveredTenants();
  const [connectionId, setConnectionId] = useState("");
  const [pattern, setPattern] = useState("tenant_%");
  const [found, setFound] = useState<DiscoverResult | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [busy, setBusy] = useState<"search" | "register" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const canBaseline = useCan("migrations.baseline");
  const catalog = useCatalog();
  const [baselineTo, setBaselineTo] = useState(NO_BASELINE);
  const tenantVersions = (catalog.data?.migrations ?? []).filter((m) => m.tier === "tenant");

  async function search(event: FormEvent) {
    event.preventDefault();
    setBusy("search");
    setError(null);
    setRowErrors({});
    try {
      const result = await discoverSchemas.mutateAsync({ connection_id: connectionId, pattern });
      setFound(result);
      setRows(
        result.schemas.map((s) => ({
          schema_name: s.schema_name,
          selected: s.problem === null,
          slug: s.suggested_slug ?? "",
          name: s.suggested_name,
          problem: s.problem,
        })),
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : "Discovery failed");
    } finally {
      setBusy(null);
    }
  }

  async function register() {
    if (!found) return;
    const chosen = rows.filter((r) => r.selected);
    setBusy("register");
    setError(null);
    setRowErrors({});
    try {
      const result = await registerDiscovered.mutateAsync({
        connection_id: found.connection_id,
        tenants: chosen.map((r) => ({ schema_name: r.schema_name, slug: r.slug.trim() || undefined, name: r.name.trim() || undefined })),
        ...(baselineTo !== NO_BASELINE ? { baseline: { to_version: baselineTo } } : {}),
      });
      toast.success(`Registered ${result.items.length} tenant(s)`, {
        description: result.baseline ? `Baselined up to ${baselineTo}: ${result.baseline.totals.marked} migration(s) marked, none run.` : undefined,
      });
      onDone();
    } catch (e) {
      if (e instanceof ApiError) {
        // Field paths are tenants.<index>.<field>: show each next to its schema; a refused baseline
        // lists what each schema lacks.
        const byRow: Record<string, string> = {};
        for (const t of refusedReport(e)?.targets ?? []) {
          if (t.missing_count > 0) {
            byRow[t.schema_name] = `lacks ${t.missing.slice(0, 5).map((m) => `${m.kind} ${m.column ? `${m.name}.${m.column}` : m.name}`).join(", ")}${t.missing_count > 5 ? ` and ${t.missing_count - 5} more` : ""}`;
          } else if (t.error) byRow[t.schema_name] = t.error.message;
        }
        for (const [field, message] of Object.entries(e.fieldErrors)) {
          const index = Number(field.split(".")[1]);
          const row = chosen[index];
          if (row) byRow[row.schema_name] = message;
        }
        setRowErrors(byRow);
        setError(e.body.message);
      } else setError("The console could not be reached. Try again.");
    } finally {
      setBusy(null);
    }
  }

  const update = (schema: string, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.schema_name === schema ? { ...r, ...patch } : r)));
  const selectedCount = rows.filter((r) => r.selected).length;

  return (
    <div className="grid gap-4">
      <form onSubmit={search} className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end" aria-label="Find tenant schemas">
        <Field label="Database">
          {(c) => (
            <Select value={connectionId} onValueChange={setConnectionId}>
              <SelectTrigger {...c}>
                <SelectValue placeholder="Choose a database" />
              </SelectTrigger>
              <SelectContent>
                {(connections.data ?? []).map((conn) => (
                  <SelectItem key={conn.id} value={conn.id}>
                    {conn.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </Field>
        <Field label="Schema pattern">
          {(c) => <Input {...c} value={pattern} onChange={(e) => setPattern(e.target.value)} spellCheck={false} />}
        </Field>
        <Button type="submit" variant="outline" disabled={!connectionId || busy !== null}>
          {busy === "search" ? <Spinner className="size-4" /> : <Search aria-hidden />}
          Find schemas
        </Button>
      </form>

      {error ? (
        <p role="alert" className="rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground">
          {error}
        </p>
      ) : null}

      {found ? (
        rows.length === 0 ? (
          <p className="text-sm text-muted-foreground" role="status">
            No unregistered schema on {found.connection_name} matches {found.pattern}.
          </p>
        ) : (
          <>
            <Table aria-label="Unregistered schemas">
              <TableHeader>
                <TableRow>
                  <TableHeadSrOnly className="w-8">Register</TableHeadSrOnly>
                  <TableHead>Schema</TableHead>
                  <TableHead>Slug</TableHead>
                  <TableHead>Name</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r) => (
                  <TableRow key={r.schema_name}>
                    <TableCell>
                      <Checkbox
                        checked={r.selected}
                        onCheckedChange={(v) => update(r.schema_name, { selected: v === true })}
                        aria-label={`Register ${r.schema_name}`}
                      />
                    </TableCell>
                    <TableCell className="font-mono text-xs">
                      {r.schema_name}
                      {rowErrors[r.schema_name] || r.problem ? (
                        <p className="mt-1 font-sans text-destructive">{rowErrors[r.schema_name] ?? r.problem}</p>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      <Input aria-label={`Slug for ${r.schema_name}`} value={r.slug} onChange={(e) => update(r.schema_name, { slug: e.target.value })} />
                    </TableCell>
                    <TableCell>
                      <Input aria-label={`Name for ${r.schema_name}`} value={r.name} onChange={(e) => update(r.schema_name, { name: e.target.value })} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <div className="flex flex-wrap items-end justify-end gap-3">
              {canBaseline && tenantVersions.length ? (
                <Field label="Baseline" hint="Mark the tenant tier as applied up to a version, after checking the objects." className="mr-auto min-w-64">
                  {(c) => (
                    <Select value={baselineTo} onValueChange={setBaselineTo}>
                      <SelectTrigger {...c}>
                        <SelectValue />
                      </SelectTrigger>
                      <SelectContent>
                        <SelectItem value={NO_BASELINE}>Do not baseline (new schemas)</SelectItem>
                        {tenantVersions.map((m) => (
                          <SelectItem key={m.id} value={m.version}>
                            Already migrated up to {m.id}
                          </SelectItem>
                        ))}
                      </SelectContent>
                    </Select>
                  )}
                </Field>
              ) : null}
              <Button onClick={register} disabled={selectedCount === 0 || busy !== null}>
                {busy === "register" ? <Spinner className="size-4" /> : null}
                Register {selectedCount} tenant{selectedCount === 1 ? "" : "s"}
              </Button>
            </div>
          </>
        )
      ) : null}
    </div>
  );
}
