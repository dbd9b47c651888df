import { z } from "zod";
import { MAX_WINDOW_MINUTES, startProblem, WEEKDAYS } from "../domain/maintenance-windows";
import { isTimeZone } from "../domain/schedule-times";

/**
 * Maintenance windows of databases and regions: shapes shared by the routes, the OpenAPI document
 * and the dashboard's forms.
 */

const zDays = z
  .array(z.enum(WEEKDAYS, { message: `each day must be one of ${WEEKDAYS.join(", ")}` }))
  .min(1, "days must name at least one weekday")
  .max(7, "days must name each weekday at most once")
  .refine((days) => new Set(days).size === days.length, { message: "days must name each weekday at most once" })
  .transform((days) => WEEKDAYS.filter((d) => days.includes(d)))
  .describe(`weekdays the window opens on: ${WEEKDAYS.join(", ")}`);

const zStart = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = startProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("local start time, HH:MM or HH:MM:SS");

const zDuration = z
  .number({ message: "duration_minutes must be a whole number of minutes" })
  .int("duration_minutes must be a whole number of minutes")
  .min(1, "duration_minutes must be at least 1: a window of zero length never opens")
  .max(MAX_WINDOW_MINUTES, `duration_minutes must be at most ${MAX_WINDOW_MINUTES} (a week)`)
  .describe("how long the window stays open, in minutes (it may run past midnight)");

const zTimezone = z
  .string()
  .trim()
  .refine(isTimeZone, { message: "timezone must be an IANA time zone such as UTC or Europe/Berlin" })
  .describe("IANA time zone the days and start time are read in");

const zLabel = z.string().trim().max(100, "label must be at most 100 characters").describe("a name for people, e.g. \"night\"");
const zRegion = z
  .string()
  .trim()
  .min(1, "region must not be empty")
  .max(100, "region must be at most 100 characters")
  .describe("a region's window: applies to its databases that have no window of their own");

export const ZWindowCreate = z
  .strictObject({
    database_id: z.uuid({ message: "database_id must be a UUID" }).optional().describe("a database's own window"),
    region: zRegion.optional(),
    days: zDays,
    start: zStart,
    duration_minutes: zDuration,
    timezone: zTimezone.default("UTC"),
    label: zLabel.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.database_id === undefined) === (v.region === undefined)) {
      ctx.addIssue({ code: "custom", path: ["database_id"], message: "give either database_id or region (exactly one)" });
    }
  });
export type WindowCreate = z.infer<typeof ZWindowCreate>;

export const ZWindowUpdate = z.strictObject({
  days: zDays.optional(),
  start: zStart.optional(),
  duration_minutes: zDuration.optional(),
  timezone: zTimezone.optional(),
  label: zLabel.nullable().optional(),
});
export type WindowUpdate = z.infer<typeof ZWindowUpdate>;

export const ZWindowIdParams = z.strictObject({ id: z.uuid({ message: "id must be a UUID" }) });

export const ZWindowListQuery = z.strictObject({
  database_id: z.uuid({ message: "database_id must be a UUID" }).optional().describe("this database's own windows, and which apply to it"),
  region: zRegion.optional().describe("this region's windows"),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZWindowStateView = z
  .object({
    restricted: z.boolean().describe("false: no window applies, migrations may start at any time"),
    open: z.boolean(),
    opens_at: z.iso.datetime().nullable().describe("while closed: the next opening"),
    closes_at: z.iso.datetime().nullable().describe("while open: when the current window closes"),
  })
  .describe("whether migrations may start now");
export type WindowStateView = z.infer<typeof ZWindowStateView>;

export const ZWindow = z.object({
  id: z.uuid(),
  database_id: z.uuid().nullable(),
  region: z.string().nullable(),
  days: z.array(z.enum(WEEKDAYS)),
  start: z.string(),
  duration_minutes: z.number().int(),
  timezone: z.string(),
  label: z.string().nullable(),
  description: z.string().describe('e.g. "mon, wed 02:00 for 2 h (Europe/Berlin)"'),
  state: ZWindowStateView.describe("this window alone, now"),
  created_by: z.string(),
  updated_by: z.string().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type Window = z.infer<typeof ZWindow>;

export const ZWindowList = z.object({
  windows: z.array(ZWindow),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  applies: z
    .object({
      source: z.enum(["database", "region", "none"]).describe("whose windows apply: the database's own, its region's, or none"),
      region: z.string().nullable(),
      windows: z.array(ZWindow),
      state: ZWindowStateView,
    })
    .nullable()
    .describe("with database_id: the windows that apply to that database (its own, else its region's) and the state now"),
});
export type WindowList = z.infer<typeof ZWindowList>;

export const ZWindowOverride = z.strictObject({
  reason: z.string().trim().min(3, "reason must say why (at least 3 characters)").max(500, "reason must be at most 500 characters"),
});
export type WindowOverride = z.infer<typeof ZWindowOverride>;

export const ZWindowOverrideResult = z.object({
  execution_id: z.uuid(),
  overridden_by: z.string(),
  reason: z.string(),
  at: z.iso.datetime(),
  targets_released: z.number().int().describe("targets that were waiting for a window, queued now"),
});
export type WindowOverrideResult = z.infer<typeof ZWindowOverrideResult>;
