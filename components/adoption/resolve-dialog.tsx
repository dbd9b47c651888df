"use client";

import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { useAcceptDrift, useResolveInterrupted, type ResolveReport } from "@/components/api/resolve-findings";
import { targetScope, type ScopeRequest } from "@/components/api/scope-request";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

export type Finding = { kind: "drift"; migrationId: string } | { kind: "interrupted"; migrationId: string };

const RESOLUTIONS = {
  mark_applied: "It finished: mark it applied",
  retry: "It did not finish: run it again",
} as const;
type Resolution = keyof typeof RESOLUTIONS;

/**
 * Settling a finding that blocks targets: accept a drifted file, or resolve an interrupted
 * `transaction: false` migration. `scope` says where: one target (scope single) or every target of
 * the plan's scope that shows the finding. A reason is required and kept in the audit trail.
 *
 *   <ResolveDialog finding={{ kind: "drift", migrationId }} scope={scope} where="every target of this plan" trigger={…} />
 */
export function ResolveDialog({
  finding,
  scope,
  where,
  trigger,
}: {
  finding: Finding;
  scope: ScopeRequest;
  /** Which targets, in words: "tenant_acme", "every target of this plan that shows it". */
  where: string;
  trigger: ReactNode;
}) {
  const [reason, setReason] = useState("");
  const [resolution, setResolution] = useState<Resolution>("mark_applied");
  const [touched, setTouched] = useState(false);
  const accept = useAcceptDrift();
  const resolve = useResolveInterrupted();
  const reasonOk = reason.trim().length >= 3;

  const confirm = async () => {
    setTouched(true);
    if (!reasonOk) throw new Error("reason required");
    try {
      const body = { ...targetScope(scope), migration_ids: [finding.migrationId], reason: reason.trim() };
      const report =
        finding.kind === "drift" ? await accept.mutateAsync(body) : await resolve.mutateAsync({ ...body, resolution });
      toast.success(successTitle(finding, report), { description: `${report.totals.changes} history row(s) changed on ${report.totals.resolved} target(s).` });
      setReason("");
      setTouched(false);
    } catch (error) {
      toast.error(finding.kind === "drift" ? "Drift was not accepted" : "The migration was not resolved", {
        description: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  };

  return (
    <ConfirmDialog
      trigger={trigger}
      title={finding.kind === "drift" ? `Accept drift of ${finding.migrationId}?` : `Resolve ${finding.migrationId}?`}
      description={
        finding.kind === "drift"
          ? `The file changed after it was applied. Accepting records its current checksum on ${where}, which unblocks it; nothing runs, and the old checksum is kept in the audit trail.`
          : `This migration runs outside a transaction and never reported back on ${where}. Look at the target first, then say what happened.`
      }
      confirmLabel={finding.kind === "drift" ? "Accept drift" : "Resolve"}
      onConfirm={confirm}
    >
      <div className="grid gap-3">
        {finding.kind === "interrupted" ? (
          <Field label="What happened">
            {(control) => (
              <Select value={resolution} onValueChange={(v) => setResolution(v as Resolution)}>
                <SelectTrigger {...control}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {(Object.keys(RESOLUTIONS) as Resolution[]).map((r) => (
                    <SelectItem key={r} value={r}>
                      {RESOLUTIONS[r]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
          </Field>
        ) : null}
        <Field
          label="Reason"
          required
          hint="Kept in the audit trail with your name."
          error={touched && !reasonOk ? "Say why in a few words (3 characters or more)." : undefined}
        >
          {(control) => (
            <Input
              {...control}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={finding.kind === "drift" ? "e.g. only a comment was added" : "e.g. the index exists and is valid"}
            />
          )}
        </Field>
      </div>
    </ConfirmDialog>
  );
}

function successTitle(finding: Finding, report: ResolveReport): string {
  if (finding.kind === "drift") return `Drift of ${finding.migrationId} accepted`;
  return report.action === "retry" ? `${finding.migrationId} will run again` : `${finding.migrationId} marked applied`;
}
