import { expect, test, type Page } from "@playwright/test";
import { ensureAdminApplied, fleetSession, FLEET, statusOf } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * Acceptance 1: an operator plans a region, rehearses it, approves and executes the same plan,
 * watches it complete live, and rolls it back; then the same journey where one tenant's migration
 * fails with its PostgreSQL error while the rest succeed. The two journeys use different regions,
 * so they do not depend on each other's leftovers.
 */

test.describe.configure({ mode: "serial", timeout: 240_000 });

async function planRegion(page: Page, region: string) {
  await page.goto("/plan");
  await page.getByRole("combobox", { name: "Scope" }).click();
  await page.getByRole("option", { name: "One region" }).click();
  await page.getByRole("combobox", { name: "Region" }).click();
  await page.getByRole("option", { name: region }).click();
  await page.getByRole("button", { name: "Preview plan" }).click();
  await expect(page).toHaveURL(new RegExp(`scope=regional&region=${region}`));
  await expect(page.getByRole("heading", { name: /pending migrations?:/ })).toBeVisible();
}

async function rehearse(page: Page) {
  await page.getByRole("button", { name: "Dry-run" }).click();
  const rehearsal = page.getByTestId("rehearsal");
  await expect(rehearsal).toHaveAttribute("data-status", /^(completed|failed)$/, { timeout: 90_000 });
  return rehearsal;
}

/** Clicks through "Approve and execute" and returns the new execution's id. */
async function approveAndExecute(page: Page) {
  await page.getByRole("button", { name: "Approve and execute" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Execute this plan?" });
  await expect(dialog).toContainText("Pinned to plan");
  await dialog.getByRole("button", { name: "Execute" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

/** After a failed rehearsal: "Execute anyway…", which asks for the words typed, then the new execution's id. */
async function executeAnyway(page: Page) {
  await expect(page.getByRole("button", { name: "Approve and execute" })).toHaveCount(0);
  await page.getByRole("button", { name: "Execute anyway…" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Execute although the rehearsal failed?" });
  await expect(dialog).toContainText("The rehearsal failed on 1 target");
  await dialog.getByLabel("Type execute anyway to confirm").fill("execute anyway");
  await dialog.getByRole("button", { name: "Execute anyway" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

/** The execution page's numbers, read from the page. */
async function shownCounts(page: Page) {
  const counts = page.getByTestId("execution-counts");
  const read = async (label: string) => Number(await counts.locator("div", { has: page.locator(`dt:text-is("${label}")`) }).locator("dd").first().innerText());
  return { succeeded: await read("Succeeded"), failed: await read("Failed"), skipped: await read("Skipped"), total: await read("Total") };
}

test("an operator plans a region, rehearses, executes live and rolls back", async ({ page }) => {
  await signIn(page, "operator");
  await ensureAdminApplied(page.request);

  await planRegion(page, "eu-west-1");
  const rehearsal = await rehearse(page);
  await expect(rehearsal).toHaveAttribute("data-status", "completed");
  // Per-target results: the region's shared database and its ten tenants would all apply.
  const rows = rehearsal.getByRole("region", { name: "Targets of this execution" }).locator("tbody tr[data-target]");
  await expect(rows).toHaveCount(11);
  await expect(rows.filter({ has: page.locator("[data-status='succeeded']") })).toHaveCount(11);
  await expect(rows.first()).toContainText("Would apply");
  await rows.filter({ hasText: "tenant_acme_corporation" }).getByRole("button", { name: /Show migrations/ }).click();
  await expect(rehearsal.getByText("tenant/0001_accounts")).toBeVisible();

  const id = await approveAndExecute(page);
  // From here the page must follow the run by itself: no reload, and no polling of the status.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  let statusReads = 0;
  page.on("request", (r) => {
    if (r.url().includes(`/api/migrations/status/${id}`)) statusReads++;
  });
  const execution = page.getByTestId("execution");
  await expect(execution).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(statusReads, "the status is read once at the end, never polled").toBeLessThanOrEqual(2);
  const server = await statusOf(page.request, id);
  expect(await shownCounts(page)).toEqual({ succeeded: server.progress.completed_targets, failed: 0, skipped: 0, total: 11 });

  // Roll back, after a confirmation that lists per target what will be undone.
  await page.getByRole("button", { name: "Roll back…", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Roll back this execution?" });
  const undone = confirm.getByRole("list", { name: "What is undone per target" });
  await expect(undone).toContainText("tenant/0006_accounts_plan");
  await expect(undone).toContainText("shared/0001_currencies");
  await confirm.getByRole("button", { name: "Roll back", exact: true }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Rollback of ${id.slice(0, 8)}`);
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });

  await page.getByRole("link", { name: `execution ${id.slice(0, 8)}` }).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${id}$`));
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "rolled_back");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Rolled back");
  await expect(page.getByText(/Rolled back by/)).toBeVisible();
});

test("a migration that fails on one tenant shows that tenant's PostgreSQL error while the rest succeed", async ({ page }) => {
  // Globex lives in us-east-1: give its schema a table the first tenant migration creates.
  const db = await fleetSession(FLEET.sharedUs);
  try {
    await db.query("create table tenant_globex.accounts (id integer primary key)");
  } finally {
    await db.end();
  }
  await signIn(page, "operator");
  await ensureAdminApplied(page.request);

  await planRegion(page, "us-east-1");
  const rehearsal = await rehearse(page);
  await expect(rehearsal).toHaveAttribute("data-status", "failed");
  const rehearsed = rehearsal.getByRole("region", { name: "Targets of this execution" });
  const globexRehearsal = rehearsed.locator("tr[data-target$='/tenant_globex']");
  await expect(globexRehearsal.getByText("Would fail")).toBeVisible();
  await expect(globexRehearsal).toContainText('relation "accounts" already exists');
  await expect(rehearsed.locator("tr[data-status='succeeded']")).toHaveCount(10);

  const id = await executeAnyway(page);
  const execution = page.getByTestId("execution");
  await expect(execution).toHaveAttribute("data-status", "failed", { timeout: 120_000 });
  await expect(page.getByTestId("execution-error")).toContainText("1 failed");

  const table = page.getByRole("region", { name: "Targets of this execution" });
  await expect(table.locator("tr[data-status='succeeded']")).toHaveCount(10);
  const globex = table.locator("tr[data-target$='/tenant_globex']");
  await expect(globex).toHaveAttribute("data-status", "failed");
  await expect(globex).toContainText("42P07");

  // Drill down: the failing migration, its PostgreSQL error and the statement that raised it.
  await page.getByRole("group", { name: "Filter targets by status" }).getByRole("button", { name: /^Failed/ }).click();
  await expect(table.locator("tbody tr[data-target]")).toHaveCount(1);
  await globex.getByRole("button", { name: /Show migrations/ }).click();
  const error = page.getByRole("group", { name: "Error of tenant/0001_accounts" });
  await expect(error.getByTestId("target-error-message")).toHaveText('relation "accounts" already exists');
  await expect(error.getByRole("region", { name: /Failing statement/ })).toContainText("CREATE TABLE accounts");

  const server = await statusOf(page.request, id);
  expect(server.progress).toMatchObject({ completed_targets: 10, failed_targets: 1, total_targets: 11 });
  expect(await shownCounts(page)).toEqual({ succeeded: 10, failed: 1, skipped: 0, total: 11 });
});
