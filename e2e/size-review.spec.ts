import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createFleetDatabase, fleetSession, planOf, startExecution, waitUntilEnded } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * The size-aware rehearsal on the plan page, on an analytics database of this spec's own: its
 * events table holds 1.1 million rows (over the default threshold of 1 million) and the index
 * migration analytics/0003 builds its index without CONCURRENTLY. A dry-run from the plan page
 * measures the table; the rehearsal and then the plan show the statement flagged with the row
 * count, the biggest target and an estimated lock time, with the review policy's level.
 */

test.describe.configure({ mode: "serial", timeout: 300_000 });

const ROWS = 1_100_000;
const suffix = randomBytes(3).toString("hex");
const region = `sz-${suffix}`;
let analytics: Awaited<ReturnType<typeof createFleetDatabase>>;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await signIn(page, "operator");
    analytics = await createFleetDatabase(page.request, { name: `analytics-${region}`, tier: "analytics", region });
    // Everything applied, then the index migration taken back, so only it is pending, on a big table.
    const run = await startExecution(page.request, { scope: "single", database_id: analytics.id, dry_run: false });
    expect((await waitUntilEnded(page.request, run.id)).status).toBe("completed");
    const session = await fleetSession(analytics.database);
    try {
      await session.query(`drop index events_name_idx; delete from _schema_migrations where version = '0003'`);
      await session.query(
        `insert into events (tenant_id, name) select '00000000-0000-0000-0000-000000000001', 'e' || (g % 40) from generate_series(1, ${ROWS}) g`,
      );
      await session.query("analyze events");
    } finally {
      await session.end();
    }
    const plan = await planOf(page.request, { scope: "single", database_id: analytics.id });
    expect(plan.migrations.map((m) => m.id)).toEqual(["analytics/0003_events_name_index"]);
  } finally {
    await page.close();
  }
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await signIn(page, "operator");
    await analytics?.remove(page.request);
  } finally {
    await page.close();
  }
});

test("a dry-run measures the big table: the plan flags the non-concurrent index with its rows, biggest target and lock time", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto(`/plan?scope=single&database_id=${analytics.id}`);
  await expect(page.locator("#plan-summary-title")).toContainText("1 pending migration");
  // Before any rehearsal the plan knows the lint finding and its level, not the table's size.
  await expect(page.getByTestId("plan-warning").filter({ hasText: "non_concurrent_index" })).toContainText("warn");
  await expect(page.getByTestId("size-flag")).toHaveCount(0);

  await page.getByRole("button", { name: "Dry-run", exact: true }).click();
  const rehearsal = page.getByTestId("rehearsal");
  await expect(rehearsal).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  const measured = rehearsal.getByTestId("size-flag");
  await expect(measured).toHaveCount(1);
  await expect(measured).toHaveAttribute("data-rule", "index_build_on_large_table");
  await expect(measured).toContainText(/events holds 1,\d{3},\d{3} rows/);

  // The plan, planned again, reads the rehearsal's measures: the flag names the statement's line.
  await page.getByRole("button", { name: "Refresh" }).click();
  const findings = page.getByRole("region", { name: /Blocking locks on large tables \(measured/ });
  const flag = findings.getByTestId("size-flag");
  await expect(flag).toHaveCount(1);
  await expect(flag).toContainText("analytics/0003_events_name_index.sql:5");
  await expect(flag).toContainText(/events holds 1,\d{3},\d{3} rows/);
  await expect(flag.getByTestId("review-level")).toHaveText("warn");
  const biggest = flag.getByRole("list", { name: "Biggest targets for events" });
  await expect(biggest).toContainText(`analytics-${region}/public`);
  await expect(biggest).toContainText(/lock ≈ [\d.]+ (ms|s)/);

  // And on the statement itself, in the SQL review.
  const migrations = page.locator('[aria-labelledby="plan-migrations-title"]');
  await migrations.getByRole("button", { name: "Show SQL of analytics/0003_events_name_index" }).click();
  const statement = page.getByRole("region", { name: "SQL of analytics/0003_events_name_index" }).getByTestId("statement").filter({ hasText: "CREATE INDEX" });
  await expect(statement.getByTestId("size-flag")).toContainText(/1,\d{3},\d{3} rows/);
  await expect(statement.getByTestId("lint-finding").getByTestId("review-level")).toHaveText("warn");
});
