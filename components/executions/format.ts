/** Durations and times as operators read them. Pure, so the same words appear everywhere. */

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** "in 2 min", "5 s ago": how far `iso` is from `now`. */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return "—";
  const diff = new Date(iso).getTime() - now;
  const text = formatDuration(Math.abs(diff)).replace(/^(\d+(\.\d+)?) ms$/, "now");
  if (text === "now") return "now";
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

/**
 * Below this a run is too short for a rate to mean anything: targets settled at creation (a plan
 * where every target is blocked) would read "21000 targets/s".
 */
export const MIN_MEASURED_MS = 1_000;

/** Finished targets per minute since the execution started, or null before anything finished or for a run too short to measure. */
export function throughputPerMinute(finished: number, startedAt: string | null, endedAt: string | null, now: number): number | null {
  if (!startedAt || finished <= 0) return null;
  const end = endedAt ? new Date(endedAt).getTime() : now;
  const elapsed = end - new Date(startedAt).getTime();
  if (elapsed < MIN_MEASURED_MS) return null;
  return finished / (elapsed / 60_000);
}

/**
 * How a progress bar reads an execution: red when targets failed and none succeeded (a total
 * failure), amber when some failed beside others that succeeded, green once all succeeded.
 */
export function progressTone(
  p: { completed_targets: number; failed_targets: number },
  status: string,
): "default" | "success" | "warning" | "destructive" {
  if (p.failed_targets > 0) return p.completed_targets === 0 ? "destructive" : "warning";
  return status === "completed" ? "success" : "default";
}

export function formatRate(perMinute: number | null): string {
  if (perMinute === null) return "—";
  if (perMinute >= 60) return `${(perMinute / 60).toFixed(perMinute >= 600 ? 0 : 1)} targets/s`;
  return `${perMinute >= 10 ? Math.round(perMinute) : perMinute.toFixed(1)} targets/min`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
