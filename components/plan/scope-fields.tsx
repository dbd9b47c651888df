"use client";

import { useScopeChoices } from "@/components/api/get-scope-choices";
import { useTenants } from "@/components/api/list-tenants";
import { SCOPE_LABELS, type ScopeRequest } from "@/components/api/scope-request";
import { useHasPermission } from "@/components/providers/viewer-context";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { Scope } from "@/server/domain/executions";
import { TenantPicker, type PickedTenant } from "./tenant-picker";

const SCOPE_HINTS: Record<Scope, string> = {
  all: "Every active database's own target and every active tenant.",
  admin: "The admin database only.",
  regional: "A region's shared and analytics databases and its tenants.",
  tenant: "Every active tenant, or the tenants you tick.",
  single: "One database's own schema, or one tenant on it.",
};

const OWN_SCHEMA = "__own__";

/** The scope being edited, before it is valid. */
export interface ScopeDraft {
  scope: Scope;
  region: string;
  tenants: PickedTenant[];
  databaseId: string;
  /** A tenant on the chosen database, or OWN_SCHEMA for the database's own target. */
  tenantOnDatabase: string;
}

export function draftFromScope(initial: ScopeRequest | null, tenantLabels = new Map<string, string>()): ScopeDraft {
  return {
    scope: initial?.scope ?? "regional",
    region: initial?.region ?? "",
    tenants: (initial?.tenant_ids ?? []).map((id) => ({ id, label: tenantLabels.get(id) ?? id.slice(0, 8) })),
    databaseId: initial?.database_id ?? "",
    tenantOnDatabase: initial?.tenant_id ?? OWN_SCHEMA,
  };
}

export function scopeFromDraft(d: ScopeDraft): ScopeRequest {
  return {
    scope: d.scope,
    region: d.region.trim() || undefined,
    tenant_ids: d.tenants.length ? d.tenants.map((t) => t.id) : undefined,
    database_id: d.databaseId || undefined,
    tenant_id: d.tenantOnDatabase !== OWN_SCHEMA ? d.tenantOnDatabase : undefined,
  };
}

/**
 * The fields that choose a scope: the scope, and what it needs (a region, tenants, a database and
 * optionally one tenant on it). Used by the Plan page and the schedule form.
 */
export function ScopeFields({
  draft,
  onChange,
  error,
}: {
  draft: ScopeDraft;
  onChange: (next: ScopeDraft) => void;
  /** What is missing, shown on the field that needs it. */
  error?: string | null;
}) {
  const canSeeDatabases = useHasPermission("databases:read");
  const choices = useScopeChoices(canSeeDatabases);
  const regions = choices.data?.regions ?? [];
  const databases = (choices.data?.databases ?? []).filter((d) => d.active);
  const chosenDatabase = databases.find((d) => d.id === draft.databaseId);
  const hostsTenants = chosenDatabase?.tier === "shared" || chosenDatabase?.tier === "tenant";
  const tenantsOnDatabase = useTenants(
    { connection_id: draft.databaseId || undefined, status: "active", limit: 500, offset: 0 },
    draft.scope === "single" && !!draft.databaseId && hostsTenants,
  );
  const set = (changes: Partial<ScopeDraft>) => onChange({ ...draft, ...changes });

  return (
    <div className="grid gap-4">
      <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
        <Field label="Scope" hint={SCOPE_HINTS[draft.scope]} className="content-start">
          {(control) => (
            <Select value={draft.scope} onValueChange={(v) => set({ scope: v as Scope })}>
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

        {draft.scope === "regional" ? (
          <Field label="Region" required error={error ?? undefined} className="max-w-xs content-start">
            {(control) =>
              canSeeDatabases && !choices.isError ? (
                <Select value={draft.region} onValueChange={(region) => set({ region })}>
                  <SelectTrigger {...control}>
                    <SelectValue placeholder={choices.isPending ? "Loading regions…" : "Choose a region"} />
                  </SelectTrigger>
                  <SelectContent>
                    {draft.region && !regions.includes(draft.region) ? <SelectItem value={draft.region}>{draft.region}</SelectItem> : null}
                    {regions.map((r) => (
                      <SelectItem key={r} value={r}>
                        {r}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              ) : (
                <Input {...control} value={draft.region} onChange={(e) => set({ region: e.target.value })} placeholder="eu-west-1" />
              )
            }
          </Field>
        ) : null}

        {draft.scope === "single" ? (
          <div className="grid content-start gap-4 sm:grid-cols-2">
            <Field label="Database" required error={error ?? undefined} className="content-start">
              {(control) => (
                <Select
                  value={draft.databaseId}
                  onValueChange={(databaseId) => set({ databaseId, tenantOnDatabase: OWN_SCHEMA })}
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
              <Field label="Target on it" hint="Its own schema, or one tenant it hosts." className="content-start">
                {(control) => (
                  <Select value={draft.tenantOnDatabase} onValueChange={(tenantOnDatabase) => set({ tenantOnDatabase })}>
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
      {draft.scope === "tenant" ? <TenantPicker value={draft.tenants} onChange={(tenants) => set({ tenants })} regions={regions} /> : null}
    </div>
  );
}
