"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useCreateTenant } from "@/components/api/create-tenant";
import { ApiError } from "@/components/api/fetch-json";
import { useHostingConnections } from "@/components/api/list-hosting-connections";
import { useUpdateTenant } from "@/components/api/update-tenant";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import type { Tenant, TenantCreated } from "@/server/tenants/schemas";

export interface TenantFormProps {
  /** Edit this tenant (name and placement); without it the form registers a new one. */
  tenant?: Tenant;
  onDone: (tenant: Tenant) => void;
  onCancel: () => void;
}

const defaultSchema = (slug: string) => (slug ? `tenant_${slug.replaceAll("-", "_")}` : "tenant_<slug>");

/**
 * Register a tenant on a shared database of its region (or its own tenant database), optionally
 * creating its schema there and migrating it to the catalog's head (on by default with a new
 * schema, for those who may run migrations); or rename / re-place an existing one. The server
 * applies the rules and its field errors show next to the fields. A registration that started a
 * migration ends on what happened to it, with the way to its execution.
 */
export function TenantForm({ tenant, onDone, onCancel }: TenantFormProps) {
  const connections = useHostingConnections();
  const createTenant = useCreateTenant();
  const updateTenant = useUpdateTenant();
  const editing = tenant !== undefined;
  const [slug, setSlug] = useState(tenant?.slug ?? "");
  const [name, setName] = useState(tenant?.name ?? "");
  const [connectionId, setConnectionId] = useState(tenant?.connection_id ?? "");
  const [region, setRegion] = useState(tenant?.region ?? "");
  const [schemaName, setSchemaName] = useState(tenant?.schema_name ?? "");
  const [createSchema, setCreateSchema] = useState(true);
  const canMigrate = useCan("tenants.migrate");
  // Follows "create the schema" until the operator sets it: a new schema is migrated by default.
  const [migrate, setMigrate] = useState<boolean | null>(null);
  const migrating = canMigrate && (migrate ?? createSchema);
  const [registered, setRegistered] = useState<TenantCreated | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const chosen = connections.data?.find((c) => c.id === connectionId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      let saved: Tenant | TenantCreated;
      if (editing) {
        const changes: Record<string, unknown> = {};
        if (name.trim() !== tenant.name) changes.name = name.trim();
        if (connectionId !== tenant.connection_id) changes.connection_id = connectionId;
        if (schemaName.trim() !== tenant.schema_name) changes.schema_name = schemaName.trim();
        if (region.trim() && region.trim() !== tenant.region) changes.region = region.trim();
        if (Object.keys(changes).length === 0) return onCancel();
        saved = await updateTenant.mutateAsync({ id: tenant.id, changes });
      } else {
        saved = await createTenant.mutateAsync({
          slug: slug.trim(),
          name: name.trim(),
          connection_id: connectionId,
          ...(region.trim() ? { region: region.trim() } : {}),
          ...(schemaName.trim() ? { schema_name: schemaName.trim() } : {}),
          create_schema: createSchema,
          migrate: migrating,
        });
        if ("migration" in saved && saved.migration) return setRegistered(saved);
      }
      toast.success(editing ? `Saved ${saved.name}` : `Registered ${saved.name} in ${saved.schema_name}`);
      onDone(saved);
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.fieldErrors);
        setFormError(Object.keys(error.fieldErrors).length ? "Some fields need attention." : error.body.message);
      } else setFormError("The console could not be reached. Try again.");
    } finally {
      setSaving(false);
    }
  }

  if (registered?.migration) return <Registered tenant={registered} migration={registered.migration} onClose={() => onDone(registered)} />;

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label={editing ? `Edit ${tenant.name}` : "Register a tenant"}>
      <div className="grid gap-4 sm:grid-cols-2">
        {editing ? null : (
          <Field label="Slug" required error={errors.slug} hint="Lowercase letters, digits and dashes; permanent">
            {(c) => <Input {...c} value={slug} onChange={(e) => setSlug(e.target.value)} autoComplete="off" spellCheck={false} />}
          </Field>
        )}
        <Field label="Name" required error={errors.name}>
          {(c) => <Input {...c} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
        </Field>
        <Field
          label="Database"
          required
          error={errors.connection_id ?? (connections.isError ? connections.error.message : undefined)}
          hint="The region's shared database, or a dedicated tenant database"
        >
          {(c) => (
            <Select value={connectionId} onValueChange={setConnectionId}>
              <SelectTrigger {...c}>
                <SelectValue placeholder={connections.isPending ? "Loading databases…" : "Choose a database"} />
              </SelectTrigger>
              <SelectContent>
                {(connections.data ?? []).map((conn) => (
                  <SelectItem key={conn.id} value={conn.id}>
                    {conn.name} ({conn.connection_type}
                    {conn.region ? `, ${conn.region}` : ""})
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </Field>
        <Field label="Region" error={errors.region} hint={chosen?.region ? `Taken from the database: ${chosen.region}` : "Needed when the database has none"}>
          {(c) => <Input {...c} value={region} onChange={(e) => setRegion(e.target.value)} placeholder={chosen?.region ?? ""} autoComplete="off" />}
        </Field>
        <Field label="Schema" error={errors.schema_name} hint={editing ? "Change only after the data moved" : `Default: ${defaultSchema(slug.trim())}`}>
          {(c) => (
            <Input
              {...c}
              value={schemaName}
              onChange={(e) => setSchemaName(e.target.value)}
              placeholder={defaultSchema(slug.trim())}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
      </div>
      {editing ? null : (
        <div className="grid gap-2">
          <label className="flex items-center gap-2 text-sm">
            <Checkbox checked={createSchema} onCheckedChange={(v) => setCreateSchema(v === true)} aria-label="Create the schema on the database" />
            Create the schema on the database
          </label>
          {canMigrate ? (
            <label className="flex items-start gap-2 text-sm">
              <Checkbox checked={migrating} onCheckedChange={(v) => setMigrate(v === true)} aria-label="Migrate to the catalog's head" className="mt-0.5" />
              <span>
                Migrate to the catalog&apos;s head
                <span className="block text-xs text-muted-foreground">
                  {createSchema
                    ? "Runs the tenant migrations right after registering, as an execution you can follow."
                    : "Migrates the schema as it is: its history table says what is pending."}
                </span>
              </span>
            </label>
          ) : null}
          {errors.migrate ? <p className="text-xs text-destructive">{errors.migrate}</p> : null}
        </div>
      )}
      {formError ? (
        <p role="alert" className="rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground">
          {formError}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" disabled={saving} aria-busy={saving || undefined}>
          {saving ? <Spinner className="size-4" /> : null}
          {editing ? "Save changes" : "Register tenant"}
        </Button>
      </div>
    </form>
  );
}

const OUTCOME_TITLES: Record<NonNullable<TenantCreated["migration"]>["outcome"], string> = {
  started: "Migration started",
  awaiting_approval: "Migration waits for approval",
  up_to_date: "Already at the catalog's head",
  blocked: "Migration blocked: nothing ran",
  not_started: "Migration not started",
};

/** After a registration that asked for a migration: what happened to it, and the way to its execution. */
function Registered({ tenant, migration, onClose }: { tenant: TenantCreated; migration: NonNullable<TenantCreated["migration"]>; onClose: () => void }) {
  const trouble = migration.outcome === "blocked" || migration.outcome === "not_started";
  return (
    <div className="grid gap-4" role="region" aria-label="Registration result" data-outcome={migration.outcome}>
      <p className="text-sm">
        Registered <strong>{tenant.name}</strong> in <span className="font-mono">{tenant.schema_name}</span>.
      </p>
      <div
        role={trouble ? "alert" : "status"}
        className={
          trouble
            ? "rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground"
            : "rounded-md border bg-muted px-3 py-2 text-sm"
        }
      >
        <p className="font-medium">{OUTCOME_TITLES[migration.outcome]}</p>
        <p>{migration.message}</p>
        {migration.reasons.length > 1 ? (
          <ul className="mt-1 list-disc pl-5">
            {migration.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
        {migration.execution ? (
          <Button asChild>
            <Link href={`/executions/${migration.execution.id}`}>Follow the execution</Link>
          </Button>
        ) : (
          <Button asChild variant="outline">
            <Link href={`/tenants/${tenant.id}`}>Open the tenant</Link>
          </Button>
        )}
      </div>
    </div>
  );
}
