import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createControlPlane } from "../../server/db/client";
import { analyzeTargetStates, upsertSummaries, type SummaryWrite } from "../../server/fleet-state/repository";
import { createControlPlaneDatabase, onDatabase, type TestDatabase } from "../support/database";

/**
 * The fleet state store's bulk write (what a plan records for every target it read): a row is
 * written only when its figures changed and never by an older read, the count of rows written is
 * what it says (a console refreshes the store's statistics after a large write), and the refresh
 * itself works on the console's own role.
 */

const CONNECTION = "00000000-0000-4000-8000-0000000000c1";
const TARGETS = 12_000;

let cp: TestDatabase;
let control: ReturnType<typeof createControlPlane>;

beforeAll(async () => {
  cp = await createControlPlaneDatabase("fsup");
  control = createControlPlane(cp.url, { min: 0, max: 2 });
  await onDatabase(
    cp.url,
    `insert into console.connections (id, name, host, database_name, username, connection_type, region, created_by)
     values ('${CONNECTION}', 'shared-eu', 'db.internal', 'eu', 'u', 'shared', 'eu', 't')`,
  );
});

afterAll(async () => {
  await control?.pool.end();
  await cp?.drop();
});

const summaries = (at: Date, applied: (i: number) => number): SummaryWrite[] =>
  Array.from({ length: TARGETS }, (_, i) => ({
    connectionId: CONNECTION,
    schemaName: `tenant_${String(i).padStart(5, "0")}`,
    tier: "tenant",
    version: `000${applied(i)}`,
    versionKey: String(applied(i)),
    appliedCount: applied(i),
    blockedCode: null,
    blockedMessage: null,
    checkedAt: at,
  }));

describe("recording what reads of histories found", () => {
  it("writes new and changed rows only, counts what it wrote, and never lets an older read win", async () => {
    const first = new Date("2026-12-01T10:00:00Z");
    expect(await upsertSummaries(control.db, summaries(first, () => 4))).toBe(TARGETS);
    // The same figures read again: nothing to write.
    expect(await upsertSummaries(control.db, summaries(new Date("2026-12-01T10:05:00Z"), () => 4))).toBe(0);
    // Every tenth tenant moved on.
    const later = new Date("2026-12-01T10:10:00Z");
    expect(await upsertSummaries(control.db, summaries(later, (i) => (i % 10 === 0 ? 5 : 4)))).toBe(TARGETS / 10);
    // A read that started before that one and finishes after it does not undo it.
    expect(await upsertSummaries(control.db, summaries(new Date("2026-12-01T10:07:00Z"), () => 4))).toBe(0);
    const { rows } = await onDatabase(cp.url, "select applied_count, count(*)::int as n from console.target_states group by 1 order by 1");
    expect(rows).toEqual([
      { applied_count: 4, n: TARGETS - TARGETS / 10 },
      { applied_count: 5, n: TARGETS / 10 },
    ]);
  });

  it("refreshes the store's statistics, so the planner knows how many rows it holds", async () => {
    await analyzeTargetStates(control.db);
    const {
      rows: [stats],
    } = await onDatabase(
      cp.url,
      "select c.reltuples::int as estimated, s.last_analyze is not null as analyzed from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.oid = 'console.target_states'::regclass",
    );
    expect(stats).toEqual({ estimated: TARGETS, analyzed: true });
  });
});
