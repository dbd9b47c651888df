"use client";

import { Undo2 } from "lucide-react";
import { useState } from "react";
import type { TenantMigrations } from "@/components/api/get-tenant-migrations";
import { useRollbackTenant } from "@/components/api/rollback-tenant";
import { useCan } from "@/components/providers/viewer-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { RollbackDialog } from "./rollback-dialog";

/**
 * "Roll back to version…" on a tenant's page: choose the version to keep, see what is undone
 * (every migration applied after it, newest first, and what refuses it: a baselined or
 * irreversible one), then rehearse or roll back. Only for active tenants with something the
 * console applied.
 */
export function RollbackTenantDialog({ data }: { data: TenantMigrations }) {
  const allowed = useCan("executions.rollback");
  const rollback = useRollbackTenant(data.tenant.id);
  const ran = data.applied.filter((a) => a.state === "applied");
  // Oldest first as the history lists them: keep any applied version but the newest, or none at all.
  const choices = [{ version: "0", label: "0 — before every migration" }, ...data.applied.slice(0, -1).map((a) => ({ version: a.version, label: `${a.version} — ${a.id ?? a.name}` }))];
  const [version, setVersion] = useState(choices.at(-1)?.version ?? "0");
  if (!allowed || ran.length === 0 || data.tenant.status !== "active") return null;
  return (
    <RollbackDialog
      source={{ database_id: data.tenant.database_id, tenant_id: data.tenant.id, to_version: version }}
      title={`Roll back ${data.tenant.name} to a version`}
      description={`Every migration ${data.tenant.schema_name} applied after the version you keep is undone, newest first, as an execution. Baselined migrations are never rolled back.`}
      submit={(dryRun) => rollback.mutateAsync({ to_version: version, dry_run: dryRun })}
      trigger={
        <Button variant="outline" size="sm">
          <Undo2 aria-hidden />
          Roll back to version…
        </Button>
      }
    >
      <Field label="Keep up to version" hint="Everything applied after it is undone.">
        {(control) => (
          <Select value={version} onValueChange={setVersion}>
            <SelectTrigger {...control}>
              <SelectValue placeholder="Choose a version" />
            </SelectTrigger>
            <SelectContent>
              {choices.map((c) => (
                <SelectItem key={c.version} value={c.version}>
                  {c.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
      </Field>
    </RollbackDialog>
  );
}
