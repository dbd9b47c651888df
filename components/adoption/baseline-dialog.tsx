"use client";

import { CheckCircle2, ClipboardCheck, SearchCheck, TriangleAlert } from "lucide-react";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { refusedReport, useBaselineMigrations, type BaselineReport, type BaselineTarget } from "@/components/api/baseline-migrations";
import { targetScope, type ScopeRequest } from "@/components/api/scope-request";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";

/** A version an operator can baseline up to, and the migrations it covers (for the label). */
export interface BaselineVersion {
  version: string;
  ids: string[];
}

/** Targets listed in the verification; the rest are counted. */
const LISTED = 20;

/**
 * Adopting existing schemas: choose how far they already are, check that the objects those
 * migrations create are really there, then mark them as applied without running anything. The
 * verification comes first and stays on screen; a schema lacking objects can only be marked with an
 * explicit confirmation and a reason (both kept in the audit trail).
 *
 *   <BaselineDialog scope={{ scope: "single", database_id, tenant_id }} what="tenant_acme" versions={…} />
 */
export function BaselineDialog({
  scope,
  what,
  versions,
  trigger,
}: {
  scope: ScopeRequest;
  /** What is being baselined, for the title: a schema, "every active tenant"… */
  what: string;
  /** Choices for "up to", oldest first; the newest is preselected. */
  versions: BaselineVersion[];
  trigger?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState(versions.at(-1)?.version ?? "");
  const [reason, setReason] = useState("");
  const [confirmMissing, setConfirmMissing] = useState(false);
  const [report, setReport] = useState<BaselineReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const verify = useBaselineMigrations();
  const mark = useBaselineMigrations();

  const reset = (next?: string) => {
    if (next !== undefined) setVersion(next);
    setReport(null);
    setConfirmMissing(false);
    setProblem(null);
  };

  const check = async () => {
    setProblem(null);
    try {
      setReport(await verify.mutateAsync({ ...targetScope(scope), to_version: version, dry_run: true }));
    } catch (error) {
      setReport(null);
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };

  const lacking = report?.totals.with_missing_objects ?? 0;
  const toMark = report?.totals.to_mark ?? 0;
  const reasonMissing = confirmMissing && reason.trim().length < 3;
  const ready = report !== null && report.totals.failed === 0 && toMark > 0 && (lacking === 0 || confirmMissing) && !reasonMissing;

  const submit = async () => {
    setProblem(null);
    try {
      const done = await mark.mutateAsync({
        ...targetScope(scope),
        to_version: version,
        confirm_missing: confirmMissing,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      toast.success(`Baselined ${done.totals.marked} migration${done.totals.marked === 1 ? "" : "s"}`, {
        description: `${done.targets.filter((t) => t.status === "baselined").length} of ${done.totals.targets} target(s) marked up to ${version}; nothing was run.`,
      });
      setOpen(false);
      reset();
      setReason("");
    } catch (error) {
      // Refused: the schemas changed since the check. Show what the server found.
      const refused = refusedReport(error);
      if (refused) setReport(refused);
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        {trigger ?? (
          <Button variant="outline" size="sm">
            <ClipboardCheck aria-hidden />
            Baseline…
          </Button>
        )}
      </DialogTrigger>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>Baseline {what}</DialogTitle>
          <DialogDescription>
            Record migrations as applied without running them, for schemas that already hold what they create. The
            objects are checked first; nothing runs, and the console never rolls baselined migrations back.
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-4">
          <Field label="Already applied up to" hint="Every migration of the target's tier up to this version is marked.">
            {(control) => (
              <Select value={version} onValueChange={(v) => reset(v)}>
                <SelectTrigger {...control}>
                  <SelectValue placeholder="Choose a version" />
                </SelectTrigger>
                <SelectContent>
                  {versions.map((v) => (
                    <SelectItem key={v.version} value={v.version}>
                      {v.version} — {v.ids.join(", ")}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
          </Field>
          <div className="flex flex-wrap items-center gap-2">
            <Button type="button" variant={report ? "outline" : "default"} onClick={() => void check()} disabled={!version || verify.isPending}>
              {verify.isPending ? <Spinner className="text-current" /> : <SearchCheck aria-hidden />}
              {report ? "Check again" : "Check the objects"}
            </Button>
            {report ? <Summary report={report} /> : <span className="text-sm text-muted-foreground">Nothing is written by the check.</span>}
          </div>
          {report ? <Verification report={report} /> : null}
          {report && lacking > 0 ? (
            <label className="flex items-start gap-2 text-sm">
              <Checkbox checked={confirmMissing} onCheckedChange={(v) => setConfirmMissing(v === true)} className="mt-0.5" />
              <span>
                Mark anyway: I know these objects are missing and the migrations that create them must not run here.
              </span>
            </label>
          ) : null}
          {report && toMark > 0 ? (
            <Field
              label="Reason"
              required={confirmMissing}
              hint="Kept in the audit trail with your name."
              error={reasonMissing && reason ? "Say why in a few words (3 characters or more)." : undefined}
            >
              {(control) => (
                <Input {...control} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. created by the old deploy scripts" />
              )}
            </Field>
          ) : null}
          {problem ? (
            <p role="alert" className="text-sm text-destructive-soft-foreground">
              {problem}
            </p>
          ) : null}
        </div>
        <DialogFooter>
          <Button type="button" onClick={() => void submit()} disabled={!ready || mark.isPending}>
            {mark.isPending ? <Spinner className="text-current" /> : <CheckCircle2 aria-hidden />}
            Mark {toMark || ""} as applied
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function Summary({ report }: { report: BaselineReport }) {
  const t = report.totals;
  const ready = report.targets.filter((x) => x.status === "verified").length;
  return (
    <p className="text-sm" aria-live="polite">
      {t.targets} target{t.targets === 1 ? "" : "s"}: {ready} ready
      {t.with_missing_objects ? `, ${t.with_missing_objects} lacking ${t.missing_objects} object${t.missing_objects === 1 ? "" : "s"}` : ""}
      {t.failed ? `, ${t.failed} not checked` : ""}.
    </p>
  );
}

/** Each target's verdict; the missing objects with the file and line that create them. */
function Verification({ report }: { report: BaselineReport }) {
  const shown = [...report.targets].sort((a, b) => rank(a) - rank(b)).slice(0, LISTED);
  return (
    <ul className="grid max-h-72 gap-2 overflow-y-auto rounded-md border bg-muted/40 p-3 text-sm" aria-label="Verification">
      {shown.map((t) => (
        <li key={t.key} className="grid gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">
              {t.connection_name}/{t.schema_name}
            </span>
            <TargetBadge target={t} />
          </div>
          {t.missing.length ? (
            <ul className="grid gap-0.5 pl-4 text-xs" aria-label={`Missing in ${t.schema_name}`}>
              {t.missing.map((m) => (
                <li key={`${m.kind}-${m.schema}-${m.name}-${m.column}`} className="flex flex-wrap gap-x-2">
                  <TriangleAlert className="size-3.5 text-warning-soft-foreground" aria-hidden />
                  <span>
                    {m.kind} <span className="font-mono">{m.column ? `${m.name}.${m.column}` : m.name}</span>
                  </span>
                  <span className="text-muted-foreground">
                    ({m.file}:{m.line})
                  </span>
                </li>
              ))}
              {t.missing_count > t.missing.length ? <li className="text-muted-foreground">…and {t.missing_count - t.missing.length} more</li> : null}
            </ul>
          ) : null}
          {t.error ? <p className="pl-4 text-xs text-destructive-soft-foreground">{t.error.message}</p> : null}
        </li>
      ))}
      {report.targets.length > shown.length ? (
        <li className="text-xs text-muted-foreground">…and {report.targets.length - shown.length} more targets</li>
      ) : null}
    </ul>
  );
}

const rank = (t: BaselineTarget) => ({ failed: 0, missing_objects: 1, verified: 2, baselined: 3, nothing_to_mark: 4 })[t.status];

function TargetBadge({ target: t }: { target: BaselineTarget }) {
  switch (t.status) {
    case "verified":
      return <Badge variant="success">all objects present · {t.to_mark.length} to mark</Badge>;
    case "missing_objects":
      return <Badge variant="warning">{t.missing_count} missing</Badge>;
    case "nothing_to_mark":
      return <Badge variant="secondary">already recorded</Badge>;
    case "baselined":
      return <Badge variant="info">baselined</Badge>;
    default:
      return <Badge variant="destructive">not checked</Badge>;
  }
}
