"use client";

import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useCreateTenant } from "@/components/api/create-tenant";
import { ApiError } from "@/components/api/fetch-json";
import { useHostingConnections } from "@/components/api/list-hosting-connections";
import { useUpdateTenant } from "@/components/api/update-tenant";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import type { Tenant } from "@/server/tenants/schemas";

export interface TenantFormProps {
  /** Edit this tenant (name and placement); without it the form registers a new one. */
  tenant?: Tenant;
  onDone: (tenant: Tenant) => void;
  onCancel: () => void;
}

const defaultSchema = (slug: string) => (slug ? `tenant_${slug.replaceAll("-", "_")}` : "tenant_<slug>");

/**
 * Register a tenant on a shared database of its region (or its own tenant database), optionally
 * creating its schema there; or rename / re-place an existing one. The server applies the rules
 * and its field errors show next to the fields.
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
      let saved: Tenant;
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
        });
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
        <label className="flex items-center gap-2 text-sm">
          <Checkbox checked={createSchema} onCheckedChange={(v) => setCreateSchema(v === true)} aria-label="Create the schema on the database" />
          Create the schema on the database
        </label>
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
