"use client";

import { CircleCheck, CircleX, PlugZap } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useCreateConnection, type CreateConnectionInput } from "@/components/api/create-connection";
import { ApiError } from "@/components/api/fetch-json";
import { useTestConnectionDetails, type TestConnectionDetailsInput } from "@/components/api/test-connection-details";
import { useUpdateConnection, type UpdateConnectionInput } from "@/components/api/update-connection";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import type { SslMode, Tier } from "@/server/domain/fleet";
import type { Connection, ConnectionTestResult } from "@/server/databases/schemas";
import { SSL_OPTIONS, TIER_OPTIONS } from "./tier-labels";

interface FormState {
  name: string;
  connection_type: Tier | "";
  region: string;
  host: string;
  port: string;
  database_name: string;
  username: string;
  password: string;
  ssl_mode: SslMode;
  schema_name: string;
  is_active: boolean;
  skip_test: boolean;
}

const fromConnection = (c?: Connection): FormState => ({
  name: c?.name ?? "",
  connection_type: c?.connection_type ?? "",
  region: c?.region ?? "",
  host: c?.host ?? "localhost",
  port: String(c?.port ?? 5432),
  database_name: c?.database_name ?? "",
  username: c?.username ?? "postgres",
  password: "",
  ssl_mode: c?.ssl_mode ?? "prefer",
  schema_name: c?.schema_name ?? "public",
  is_active: c?.is_active ?? true,
  skip_test: false,
});

export interface ConnectionFormProps {
  /** Edit this connection; without it the form registers a new one. */
  connection?: Connection;
  onDone: (connection: Connection) => void;
  onCancel: () => void;
}

/**
 * Register or edit a database. The server validates with the same schema as the API and tests the
 * connection before saving; its field errors and the PostgreSQL error of a failed test show here.
 * "Test connection" tries the typed details without saving them.
 */
export function ConnectionForm({ connection, onDone, onCancel }: ConnectionFormProps) {
  const createConnection = useCreateConnection();
  const updateConnection = useUpdateConnection();
  const testConnectionDetails = useTestConnectionDetails();
  const [form, setForm] = useState<FormState>(() => fromConnection(connection));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const editing = connection !== undefined;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: "" }));
  };

  const details = () => ({
    host: form.host.trim(),
    port: form.port.trim(),
    database_name: form.database_name,
    username: form.username,
    ssl_mode: form.ssl_mode,
    ...(form.password ? { password: form.password } : {}),
  });

  function showError(error: unknown) {
    if (error instanceof ApiError) {
      const fields = error.fieldErrors;
      setErrors(fields);
      const code = error.body.details?.code;
      setFormError(
        Object.keys(fields).length > 0 ? "Some fields need attention." : `${error.body.message}${code ? ` (${String(code)})` : ""}`,
      );
    } else {
      setFormError("The console could not be reached. Try again.");
    }
  }

  async function runTest() {
    setTesting(true);
    setTest(null);
    setFormError(null);
    try {
      const input = { ...details(), ...(editing ? { connection_id: connection.id } : {}) };
      setTest(await testConnectionDetails.mutateAsync(input as TestConnectionDetailsInput));
    } catch (error) {
      showError(error);
    } finally {
      setTesting(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setFormError(null);
    setErrors({});
    const common = {
      name: form.name.trim(),
      connection_type: form.connection_type || undefined,
      region: form.region.trim() || null,
      schema_name: form.schema_name.trim(),
      is_active: form.is_active,
      skip_test: form.skip_test,
    };
    try {
      const saved = editing
        ? await updateConnection.mutateAsync({
            id: connection.id,
            changes: { ...common, ...details() } as UpdateConnectionInput["changes"],
          })
        : await createConnection.mutateAsync({ ...common, ...details() } as CreateConnectionInput);
      toast.success(editing ? `Saved ${saved.name}` : `Registered ${saved.name}`);
      onDone(saved);
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  }

  const regionRequired = form.connection_type === "shared" || form.connection_type === "tenant";

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label={editing ? `Edit ${connection.name}` : "Register a database"}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" required error={errors.name} hint="Unique among registered databases">
          {(c) => <Input {...c} value={form.name} onChange={(e) => set("name", e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Tier" required error={errors.connection_type}>
          {(c) => (
            <Select value={form.connection_type} onValueChange={(v) => set("connection_type", v as Tier)}>
              <SelectTrigger {...c}>
                <SelectValue placeholder="Choose a tier" />
              </SelectTrigger>
              <SelectContent>
                {TIER_OPTIONS.map((t) => (
                  <SelectItem key={t.value} value={t.value}>
                    {t.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </Field>
        <Field label="Host" required error={errors.host}>
          {(c) => <Input {...c} value={form.host} onChange={(e) => set("host", e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Port" required error={errors.port}>
          {(c) => <Input {...c} value={form.port} onChange={(e) => set("port", e.target.value)} inputMode="numeric" />}
        </Field>
        <Field label="Database" required error={errors.database_name}>
          {(c) => (
            <Input {...c} value={form.database_name} onChange={(e) => set("database_name", e.target.value)} autoComplete="off" spellCheck={false} />
          )}
        </Field>
        <Field label="User" required error={errors.username}>
          {(c) => <Input {...c} value={form.username} onChange={(e) => set("username", e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field
          label="Password"
          error={errors.password}
          hint={editing ? (connection.has_password ? "Leave empty to keep the stored password" : "No password stored") : "Stored encrypted; never shown again"}
        >
          {(c) => (
            <Input {...c} type="password" value={form.password} onChange={(e) => set("password", e.target.value)} autoComplete="new-password" />
          )}
        </Field>
        <Field label="SSL mode" error={errors.ssl_mode}>
          {(c) => (
            <Select value={form.ssl_mode} onValueChange={(v) => set("ssl_mode", v as SslMode)}>
              <SelectTrigger {...c}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {SSL_OPTIONS.map((o) => (
                  <SelectItem key={o.value} value={o.value}>
                    {o.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </Field>
        <Field label="Region" required={regionRequired} error={errors.region} hint="e.g. eu-west-1; required for shared and tenant databases">
          {(c) => <Input {...c} value={form.region} onChange={(e) => set("region", e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Target schema" error={errors.schema_name} hint="Where this database's own migrations apply">
          {(c) => <Input {...c} value={form.schema_name} onChange={(e) => set("schema_name", e.target.value)} autoComplete="off" />}
        </Field>
      </div>

      <div className="flex flex-wrap items-center gap-6">
        <label className="flex items-center gap-2 text-sm">
          <Switch checked={form.is_active} onCheckedChange={(v) => set("is_active", v)} aria-label="Active" />
          Active (part of plans and health checks)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <Checkbox checked={form.skip_test} onCheckedChange={(v) => set("skip_test", v === true)} aria-label="Save without testing" />
          Save without testing
        </label>
      </div>

      <TestOutcome result={test} />
      {formError ? (
        <p role="alert" className="rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground">
          {formError}
        </p>
      ) : null}

      <div className="flex flex-wrap justify-between gap-2">
        <Button variant="outline" onClick={runTest} disabled={testing || saving}>
          {testing ? <Spinner className="size-4" /> : <PlugZap aria-hidden />}
          Test connection
        </Button>
        <div className="flex gap-2">
          <Button variant="ghost" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" disabled={saving || testing} aria-busy={saving || undefined}>
            {saving ? <Spinner className="size-4" /> : null}
            {editing ? "Save changes" : "Register database"}
          </Button>
        </div>
      </div>
    </form>
  );
}

/** The outcome of a connection test, announced politely. */
export function TestOutcome({ result }: { result: ConnectionTestResult | null }) {
  return (
    <div aria-live="polite">
      {result ? (
        result.success ? (
          <p className="flex items-center gap-2 rounded-md border border-success-border bg-success-soft px-3 py-2 text-sm text-success-soft-foreground">
            <CircleCheck className="size-4 shrink-0" aria-hidden />
            Connected: PostgreSQL {result.server_version} in {result.latency_ms} ms
          </p>
        ) : (
          <p className="flex items-center gap-2 rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground">
            <CircleX className="size-4 shrink-0" aria-hidden />
            Connection failed{result.error_code ? ` (${result.error_code})` : ""}: {result.error_message}
          </p>
        )
      ) : null}
    </div>
  );
}
