import { Cron } from "croner";

/**
 * Cron arithmetic for schedules, with croner: 5-field (minute) or 6-field (second) patterns,
 * evaluated in the schedule's IANA time zone, so "0 9 * * 1-5" in Europe/Berlin stays at 09:00
 * local time across daylight-saving changes. Pure.
 */

/** Why a pattern or time zone cannot be used, or null when both are fine. */
export function cronProblem(pattern: string, timezone: string): string | null {
  try {
    new Cron(pattern, { paused: true, timezone }).nextRun();
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/timezone/i.test(message)) return `unknown time zone ${timezone}: use an IANA name such as Europe/Berlin or UTC`;
    return `invalid cron expression "${pattern}": ${message.replace(/^CronPattern: /, "")}`;
  }
}

/** The next `count` times strictly after `after`. */
export function nextRuns(pattern: string, timezone: string, after: Date, count: number): Date[] {
  return new Cron(pattern, { paused: true, timezone }).nextRuns(count, after);
}

export function nextRun(pattern: string, timezone: string, after: Date): Date | null {
  return new Cron(pattern, { paused: true, timezone }).nextRun(after);
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
