"use client";

import { useQuery } from "@tanstack/react-query";
import { Eye } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useScopeChoices } from "@/components/api/get-scope-choices";
import { SCOPE_LABELS, scopeProblem, type ScopeRequest } from "@/components/api/scope-request";
import { tenantsQuery } from "@/components/tenants/tenant-queries";
import { useHasPermission } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import type { Scope } from "@/server/db/schema";
import { TenantPicker, type PickedTenant } from "./tenant-picker";

const SCOPE_HINTS: Record<Scope, string> = {
  all: "Every active database's own target and every active tenant.",
  admin: "The admin database only.",
  regional: "A region's shared and analytics databases and its tenants.",
  tenant: "Every active tenant, or the tenants you tick.",
  single: "One database's own schema, or one tenant on it.",
};

const OWN_SCHEMA = "__own__";

/**
 * The scope form: which targets to plan. Submitting shows the plan (the caller puts the scope in the
 * URL, so a plan can be shared and survives a reload).
 */
export function ScopeChooser({
  initial,
  tenantLabels,
  busy,
  onSubmit,
}: {
  initial: ScopeRequest | null;
  tenantLabels: Map<string, string>;
  busy: boolean;
  onSubmit: (scope: ScopeRequest) => void;
}) {
  const canSeeDatabases = useHasPermission("databases:read");
  const choices = useScopeChoices(canSeeDatabases);
  const [scope, setScope] = useState<Scope>(initial?.scope ?? "regional");
  const [region, setRegion] = useState(initial?.region ?? "");
  const [tenants, setTenants] = useState<PickedTenant[]>(
    (initial?.tenant_ids ?? []).map((id) => ({ id, label: tenantLabels.get(id) ?? id.slice(0, 8) })),
  );
  const [databaseId, setDatabaseId] = useState(initial?.database_id ?? "");
  const [tenantOnDatabase, setTenantOnDatabase] = useState(initial?.tenant_id ?? OWN_SCHEMA);
  const [touched, setTouched] = useState(false);

  const regions = choices.data?.regions ?? [];
  const databases = (choices.data?.databases ?? []).filter((d) => d.active);
  const chosenDatabase = databases.find((d) => d.id === databaseId);
  const hostsTenants = chosenDatabase?.tier === "shared" || chosenDatabase?.tier === "tenant";
  const tenantsOnDatabase = useQuery({
    ...tenantsQuery({ connection_id: databaseId || undefined, status: "active", limit: 500, offset: 0 }),
    enabled: scope === "single" && !!databaseId && hostsTenants,
  });

  const request: ScopeRequest = {
    scope,
    region: region.trim() || undefined,
    tenant_ids: tenants.length ? tenants.map((t) => t.id) : undefined,
    database_id: databaseId || undefined,
    tenant_id: tenantOnDatabase !== OWN_SCHEMA && hostsTenants ? tenantOnDatabase : undefined,
  };
  const problem = scopeProblem(request);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!problem) onSubmit(request);
  };

  return (
    <form onSubmit={submit} className="grid gap-4" aria-label="Plan scope">
      <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
        <Field label="Scope" hint={SCOPE_HINTS[scope]}>
          {(control) => (
            <Select value={scope} onValueChange={(v) => setScope(v as Scope)}>
              <SelectTrigger {...control}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {(Object.keys(SCOPE_LABELS) as Scope[]).map((s) => (
                  <SelectItem key={s} value={s}>
                    {SCOPE_LABELS[s]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </Field>

        {scope === "regional" ? (
          <Field label="Region" required error={touched && problem ? problem : undefined} className="max-w-xs">
            {(control) =>
              canSeeDatabases && !choices.isError ? (
                <Select value={region} onValueChange={setRegion}>
                  <SelectTrigger {...control}>
                    <SelectValue placeholder={choices.isPending ? "Loading regions…" : "Choose a region"} />
                  </SelectTrigger>
                  <SelectContent>
                    {region && !regions.includes(region) ? <SelectItem value={region}>{region}</SelectItem> : null}
                    {regions.map((r) => (
                      <SelectItem key={r} value={r}>
                        {r}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              ) : (
                <Input {...control} value={region} onChange={(e) => setRegion(e.target.value)} placeholder="eu-west-1" />
              )
            }
          </Field>
        ) : null}

        {scope === "single" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Database" required error={touched && problem ? problem : undefined}>
              {(control) => (
                <Select
                  value={databaseId}
                  onValueChange={(v) => {
                    setDatabaseId(v);
                    setTenantOnDatabase(OWN_SCHEMA);
                  }}
                  disabled={!canSeeDatabases}
                >
                  <SelectTrigger {...control}>
                    <SelectValue placeholder={canSeeDatabases ? "Choose a database" : "needs databases:read"} />
                  </SelectTrigger>
                  <SelectContent>
                    {databases.map((d) => (
                      <SelectItem key={d.id} value={d.id}>
                        {d.name} · {d.tier}
                        {d.region ? ` · ${d.region}` : ""}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              )}
            </Field>
            {hostsTenants ? (
              <Field label="Target on it" hint="Its own schema, or one tenant it hosts.">
                {(control) => (
                  <Select value={tenantOnDatabase} onValueChange={setTenantOnDatabase}>
                    <SelectTrigger {...control}>
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      <SelectItem value={OWN_SCHEMA}>
                        {chosenDatabase?.tier === "tenant" ? "Every tenant it hosts" : "Its own schema"}
                      </SelectItem>
                      {(tenantsOnDatabase.data?.items ?? []).map((t) => (
                        <SelectItem key={t.id} value={t.id}>
                          {t.name} ({t.schema_name})
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                )}
              </Field>
            ) : null}
          </div>
        ) : null}
      </div>

      {scope === "tenant" ? <TenantPicker value={tenants} onChange={setTenants} regions={regions} /> : null}

      <div>
        <Button type="submit" disabled={busy}>
          {busy ? <Spinner className="text-primary-foreground" /> : <Eye aria-hidden />}
          Preview plan
        </Button>
      </div>
    </form>
  );
}
