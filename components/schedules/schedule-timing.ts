import { cronProblem, nextRuns } from "@/server/domain/schedule-times";
import { describeCron } from "./describe-cron";

export interface TimingPreview {
  ok: boolean;
  words: string;
  runs: Date[];
  problem: string | null;
}

/** What a cron expression or a run-at time means, computed in the browser as the server will. */
export function previewCron(cron: string, timezone: string, now = new Date()): TimingPreview {
  const expression = cron.trim();
  if (!expression) return { ok: false, words: "", runs: [], problem: "Enter a cron expression." };
  const problem = cronProblem(expression, timezone || "UTC");
  if (problem) return { ok: false, words: "", runs: [], problem };
  return { ok: true, words: `${describeCron(expression)} (${timezone || "UTC"})`, runs: nextRuns(expression, timezone || "UTC", now, 5), problem: null };
}

/** A `datetime-local` value (the browser's local time) as the API's ISO time with offset. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function previewRunAt(value: string, now = new Date()): TimingPreview {
  const iso = localInputToIso(value);
  if (!iso) return { ok: false, words: "", runs: [], problem: "Choose a date and time." };
  const at = new Date(iso);
  if (at <= now) return { ok: false, words: "", runs: [], problem: "Choose a time in the future." };
  return { ok: true, words: "Once", runs: [at], problem: null };
}

export function formatIn(date: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  } catch {
    return date.toLocaleString();
  }
}

/** Time zones the browser knows (for the form's suggestions), UTC and the browser's own first. */
export function timeZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set(["UTC", own, ...all])];
}
