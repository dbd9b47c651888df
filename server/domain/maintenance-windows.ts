import { Cron } from "croner";

/**
 * Maintenance windows: weekly periods, in a time zone, when migrations may start on a database.
 * A window opens on each of its days at its start time (local wall clock, so 02:00 stays 02:00
 * across daylight-saving changes) and stays open for its duration, which may run past midnight.
 * Pure: the worker's gate, the API's views and the dashboard's forms all use these rules.
 *
 * Precedence: a database with windows of its own follows them alone; a database without any
 * follows its region's windows; with neither, migrations may start at any time.
 */

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** At most a week: a longer window would overlap its own next opening. */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;

export interface WeeklyWindow {
  days: readonly Weekday[];
  /** Local start time, `HH:MM` or `HH:MM:SS`. */
  start: string;
  durationMinutes: number;
  timezone: string;
}

export interface IdentifiedWindow extends WeeklyWindow {
  id: string;
}

export type WindowState =
  | { restricted: false; open: true }
  | { restricted: true; open: true; closesAt: Date; windowId: string | null }
  | { restricted: true; open: false; opensAt: Date | null };

const START_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

export function startProblem(start: string): string | null {
  return START_RE.test(start) ? null : "start must be a local time HH:MM or HH:MM:SS (00:00 to 23:59:59)";
}

function pattern(w: WeeklyWindow): string {
  const m = START_RE.exec(w.start);
  if (!m) throw new Error(startProblem(w.start)!);
  const days = [...new Set(w.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b).join(",");
  return `${Number(m[3] ?? 0)} ${Number(m[2])} ${Number(m[1])} * * ${days}`;
}

const cronOf = (w: WeeklyWindow) => new Cron(pattern(w), { paused: true, timezone: w.timezone });
const durationMs = (w: WeeklyWindow) => w.durationMinutes * 60_000;

/** The opening of `w` that covers `at`, or null when `w` is closed then. */
export function openingCovering(w: WeeklyWindow, at: Date): Date | null {
  const opening = cronOf(w).nextRun(new Date(at.getTime() - durationMs(w)));
  return opening && opening.getTime() <= at.getTime() ? opening : null;
}

/** The first opening of `w` strictly after `at`. */
export function nextOpening(w: WeeklyWindow, at: Date): Date | null {
  return cronOf(w).nextRun(at);
}

/**
 * Whether migrations may start at `at` under `windows` (a database's own, or else its region's):
 * open with the time the current window closes, or closed with the next opening. No windows: open.
 */
export function windowState(windows: readonly (WeeklyWindow & { id?: string })[], at: Date): WindowState {
  if (windows.length === 0) return { restricted: false, open: true };
  let best: { closesAt: Date; windowId: string | null } | null = null;
  for (const w of windows) {
    const opening = openingCovering(w, at);
    if (!opening) continue;
    const closesAt = new Date(opening.getTime() + durationMs(w));
    if (!best || closesAt > best.closesAt) best = { closesAt, windowId: w.id ?? null };
  }
  if (best) return { restricted: true, open: true, ...best };
  const openings = windows.map((w) => nextOpening(w, at)).filter((d): d is Date => d !== null);
  const opensAt = openings.length ? new Date(Math.min(...openings.map((d) => d.getTime()))) : null;
  return { restricted: true, open: false, opensAt };
}

/** The windows that apply to a database: its own when it has any, else its region's. */
export function effectiveWindows<W extends { connectionId: string | null; region: string | null }>(
  all: readonly W[],
  target: { connectionId: string; region: string | null },
): { source: "database" | "region" | "none"; windows: W[] } {
  const own = all.filter((w) => w.connectionId === target.connectionId);
  if (own.length > 0) return { source: "database", windows: own };
  const regional = target.region === null ? [] : all.filter((w) => w.connectionId === null && w.region === target.region);
  return regional.length > 0 ? { source: "region", windows: regional } : { source: "none", windows: [] };
}

/**
 * The first overlap between windows of one database or region (a window overlapping its own next
 * opening included), over the next two weeks from `from`; null when they are apart. Windows that
 * only touch (one closes when the next opens) do not overlap.
 */
export function findOverlap(windows: readonly IdentifiedWindow[], from: Date): { a: string; b: string; at: Date } | null {
  const horizon = from.getTime() + 15 * 24 * 3_600_000;
  const spans: { id: string; start: number; end: number }[] = [];
  for (const w of windows) {
    const cron = cronOf(w);
    let cursor: Date | null = new Date(from.getTime() - durationMs(w));
    while ((cursor = cron.nextRun(cursor)) && cursor.getTime() < horizon) {
      spans.push({ id: w.id, start: cursor.getTime(), end: cursor.getTime() + durationMs(w) });
    }
  }
  spans.sort((x, y) => x.start - y.start);
  let latest: (typeof spans)[number] | null = null;
  for (const s of spans) {
    if (latest && s.start < latest.end) return { a: latest.id, b: s.id, at: new Date(s.start) };
    if (!latest || s.end > latest.end) latest = s;
  }
  return null;
}

/** "mon, wed 02:00 for 2 h (Europe/Berlin)": how pages and messages name a window. */
export function describeWindow(w: WeeklyWindow): string {
  const ordered = WEEKDAYS.filter((d) => w.days.includes(d));
  const days = ordered.length === 7 ? "every day" : ordered.join(", ");
  const m = w.durationMinutes;
  const span = m % 60 === 0 ? `${m / 60} h` : m > 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
  return `${days} ${w.start} for ${span} (${w.timezone})`;
}
