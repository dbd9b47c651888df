"use client";

import { CalendarClock } from "lucide-react";
import { useId, useMemo, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useCreateSchedule } from "@/components/api/create-schedule";
import { ApiError } from "@/components/api/fetch-json";
import { normalizeScope, scopeProblem } from "@/components/api/scope-request";
import { draftFromScope, ScopeFields, scopeFromDraft } from "@/components/plan/scope-fields";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { formatIn, previewCron, previewRunAt, timeZones, localInputToIso } from "./schedule-timing";

const PRESETS = [
  { label: "Every day at 03:00", cron: "0 3 * * *" },
  { label: "Weekdays at 02:30", cron: "30 2 * * 1-5" },
  { label: "Sundays at 04:00", cron: "0 4 * * 0" },
  { label: "Every hour", cron: "0 * * * *" },
];

/** Creates a schedule: a scope, when (cron in a time zone, or once), and a preview of the next runs. */
export function ScheduleForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const create = useCreateSchedule();
  const zonesId = useId();
  const [name, setName] = useState("");
  const [draft, setDraft] = useState(() => draftFromScope({ scope: "all" }));
  const [mode, setMode] = useState<"cron" | "once">("cron");
  const [cron, setCron] = useState("0 3 * * *");
  const [timezone, setTimezone] = useState("UTC");
  const [runAt, setRunAt] = useState("");
  const [dryRun, setDryRun] = useState(false);
  const [enabled, setEnabled] = useState(true);
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const zones = useMemo(() => timeZones(), []);

  const scope = scopeFromDraft(draft);
  const scopeError = scopeProblem(scope);
  const preview = mode === "cron" ? previewCron(cron, timezone) : previewRunAt(runAt);
  const nameError = touched && !name.trim() ? "Give the schedule a name." : serverErrors.name;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!name.trim() || scopeError || !preview.ok) return;
    try {
      await create.mutateAsync({
        ...normalizeScope(scope),
        name: name.trim(),
        ...(mode === "cron" ? { cron: cron.trim(), timezone: timezone.trim() || "UTC" } : { run_at: localInputToIso(runAt)! }),
        dry_run: dryRun,
        enabled,
      });
      toast.success(`Schedule “${name.trim()}” created`, {
        description: !enabled
          ? "Disabled: it does not run until it is enabled"
          : preview.runs[0]
            ? `Next run ${preview.runs[0].toLocaleString()}`
            : undefined,
      });
      onDone();
    } catch (error) {
      if (error instanceof ApiError) {
        setServerErrors(error.fieldErrors);
        toast.error("The schedule was not created", { description: error.body.message });
      } else toast.error("The schedule was not created");
    }
  };

  return (
    <form onSubmit={submit} className="grid gap-5" aria-label="New schedule">
      <Field label="Name" required error={nameError}>
        {(control) => <Input {...control} value={name} onChange={(e) => setName(e.target.value)} placeholder="nightly-tenants" autoFocus />}
      </Field>
      <ScopeFields draft={draft} onChange={setDraft} error={touched ? (scopeError ?? serverErrors.region ?? serverErrors.database_id) : null} />

      <Tabs value={mode} onValueChange={(v) => setMode(v as "cron" | "once")}>
        <TabsList aria-label="When it runs">
          <TabsTrigger value="cron">Repeat (cron)</TabsTrigger>
          <TabsTrigger value="once">Once</TabsTrigger>
        </TabsList>
        <TabsContent value="cron" className="grid gap-3">
          <div className="grid gap-3 sm:grid-cols-[1fr_14rem]">
            <Field
              label="Cron expression"
              hint="minute hour day-of-month month day-of-week (a sixth leading field for seconds)"
              error={(touched && !preview.ok ? preview.problem : null) ?? serverErrors.cron}
              className="content-start"
            >
              {(control) => <Input {...control} className="font-mono" value={cron} onChange={(e) => setCron(e.target.value)} />}
            </Field>
            <Field label="Time zone" error={serverErrors.timezone} className="content-start">
              {(control) => (
                <>
                  <Input {...control} list={zonesId} value={timezone} onChange={(e) => setTimezone(e.target.value)} />
                  <datalist id={zonesId}>
                    {zones.map((z) => (
                      <option key={z} value={z} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          </div>
          <div className="flex flex-wrap gap-1.5" role="group" aria-label="Common schedules">
            {PRESETS.map((p) => (
              <Button key={p.cron} type="button" variant="outline" size="sm" onClick={() => setCron(p.cron)}>
                {p.label}
              </Button>
            ))}
          </div>
        </TabsContent>
        <TabsContent value="once">
          <Field label="Run at (your local time)" error={(touched && !preview.ok ? preview.problem : null) ?? serverErrors.run_at}>
            {(control) => <Input {...control} type="datetime-local" value={runAt} onChange={(e) => setRunAt(e.target.value)} className="max-w-xs" />}
          </Field>
        </TabsContent>
      </Tabs>

      <section aria-label={enabled ? "Preview of the next runs" : "Preview of the runs once enabled"} aria-live="polite" className="grid gap-1.5 rounded-md border bg-muted/40 p-3 text-sm">
        {preview.ok ? (
          <>
            <p className="flex items-center gap-2 font-medium">
              <CalendarClock className="size-4 text-muted-foreground" aria-hidden />
              {preview.words}
            </p>
            {!enabled ? <p className="text-muted-foreground">Disabled: these are the times it would run once enabled.</p> : null}
            <ol className="grid gap-0.5 text-muted-foreground" aria-label={enabled ? "Next runs" : "Times it would run once enabled"}>
              {preview.runs.map((d) => (
                <li key={d.toISOString()} className="tabular-nums">
                  {mode === "cron" ? formatIn(d, timezone || "UTC") : d.toLocaleString()}
                  {mode === "cron" && (timezone || "UTC") !== Intl.DateTimeFormat().resolvedOptions().timeZone ? (
                    <span className="text-xs"> · your time {d.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })}</span>
                  ) : null}
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className="text-muted-foreground">{preview.problem}</p>
        )}
      </section>

      <div className="flex flex-wrap items-center gap-6">
        <div className="flex items-center gap-2">
          <Checkbox id="schedule-dry-run" checked={dryRun} onCheckedChange={(v) => setDryRun(v === true)} />
          <Label htmlFor="schedule-dry-run">Rehearse only (dry-run)</Label>
        </div>
        <div className="flex items-center gap-2">
          <Switch id="schedule-enabled" checked={enabled} onCheckedChange={setEnabled} />
          <Label htmlFor="schedule-enabled">Enabled</Label>
        </div>
      </div>

      <div className="flex justify-end gap-2">
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? <Spinner className="text-primary-foreground" /> : null}
          Create schedule
        </Button>
      </div>
    </form>
  );
}
