"use client";

import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { ApiError } from "@/components/api/fetch-json";
import type { MaintenanceWindow } from "@/components/api/list-maintenance-windows";
import { useCreateMaintenanceWindow, useUpdateMaintenanceWindow } from "@/components/api/save-maintenance-window";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { WEEKDAYS, type Weekday } from "@/server/domain/maintenance-windows";

const DAY_LABELS: Record<Weekday, string> = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };
const DISPLAY_ORDER: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
};

/**
 * Adds a weekly window to a database or a region, or changes one: days, local start time, how
 * long it stays open, the time zone it is read in. The server's 422 names the bad field (an
 * unknown time zone, an overlap with another window on `start`), shown under it.
 */
export function WindowForm({
  subject,
  existing,
  onDone,
  onCancel,
}: {
  subject: { databaseId?: string; region?: string };
  existing?: MaintenanceWindow;
  onDone: () => void;
  onCancel: () => void;
}) {
  const create = useCreateMaintenanceWindow();
  const update = useUpdateMaintenanceWindow();
  const [days, setDays] = useState<Weekday[]>(existing ? [...existing.days] : ["sat", "sun"]);
  const [start, setStart] = useState(existing?.start ?? "02:00");
  const [hours, setHours] = useState(existing ? String(existing.duration_minutes / 60) : "2");
  const [timezone, setTimezone] = useState(existing?.timezone ?? browserZone());
  const [label, setLabel] = useState(existing?.label ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const pending = create.isPending || update.isPending;

  const toggle = (day: Weekday, on: boolean) => setDays((current) => WEEKDAYS.filter((d) => (d === day ? on : current.includes(d))));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const minutes = Math.round(Number(hours) * 60);
    const body = { days, start: start.trim(), duration_minutes: Number.isFinite(minutes) ? minutes : 0, timezone: timezone.trim(), label: label.trim() };
    try {
      if (existing) await update.mutateAsync({ id: existing.id, ...body, label: body.label || null });
      else
        await create.mutateAsync({
          ...(subject.databaseId ? { database_id: subject.databaseId } : { region: subject.region }),
          ...body,
          ...(body.label ? { label: body.label } : { label: undefined }),
        });
      toast.success(existing ? "Maintenance window changed" : "Maintenance window added");
      onDone();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.fieldErrors);
        toast.error(existing ? "The window was not changed" : "The window was not added", { description: error.body.message });
      } else toast.error("The window was not saved");
    }
  };

  const daysError = errors.days ?? errors["days.0"];
  return (
    <form onSubmit={submit} className="grid gap-5" aria-label={existing ? "Change maintenance window" : "New maintenance window"}>
      <fieldset className="grid gap-2" aria-describedby={daysError ? "window-days-error" : undefined}>
        <legend className="mb-1 text-sm font-medium">Days</legend>
        <div className="flex flex-wrap gap-3">
          {DISPLAY_ORDER.map((day) => (
            <div key={day} className="flex items-center gap-1.5">
              <Checkbox id={`window-day-${day}`} checked={days.includes(day)} onCheckedChange={(v) => toggle(day, v === true)} />
              <Label htmlFor={`window-day-${day}`}>{DAY_LABELS[day]}</Label>
            </div>
          ))}
        </div>
        {daysError ? (
          <p id="window-days-error" className="text-xs text-destructive">
            {daysError}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Opens at" required error={errors.start} hint="Local time, HH:MM">
          {(control) => <Input {...control} value={start} onChange={(e) => setStart(e.target.value)} placeholder="02:00" />}
        </Field>
        <Field label="Open for (hours)" required error={errors.duration_minutes} hint="May run past midnight">
          {(control) => <Input {...control} type="number" min="0.25" step="0.25" value={hours} onChange={(e) => setHours(e.target.value)} />}
        </Field>
        <Field label="Time zone" required error={errors.timezone} hint="IANA name, e.g. Europe/Berlin">
          {(control) => <Input {...control} value={timezone} onChange={(e) => setTimezone(e.target.value)} />}
        </Field>
      </div>
      <Field label="Label" error={errors.label} hint="Optional, e.g. weekend">
        {(control) => <Input {...control} value={label} onChange={(e) => setLabel(e.target.value)} />}
      </Field>
      {errors.database_id || errors.region ? <p className="text-sm text-destructive">{errors.database_id ?? errors.region}</p> : null}
      <div className="flex justify-end gap-2">
        <Button variant="outline" type="button" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? <Spinner className="text-primary-foreground" /> : null}
          {existing ? "Save window" : "Add window"}
        </Button>
      </div>
    </form>
  );
}
