import { expect, test, type Browser, type Page } from "@playwright/test";
import { ensureAdminApplied, fleetSession, FLEET, planOf, startExecution, waitUntilEnded } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * Rolling back what did not complete, in the browser: an operator migrates a tenant whose schema
 * already holds a table the third migration creates, so the execution fails after applying two;
 * a viewer looking at it sees no rollback, retry or per-target control (nor Roll back to version…
 * on the tenant's page); the operator rehearses the rollback (nothing changes), then rolls it back
 * after a confirmation that lists what each target undoes, and sees it complete and the original
 * read Rolled back with its failure kept. The tenant is archived and its schema dropped at the end.
 */

test.describe.configure({ mode: "serial", timeout: 180_000 });

const SCHEMA = "tenant_e2e_rollback";
/** The controls this spec is about (the schema's own name holds "rollback": anchored at the start). */
const CONTROLS = /^(roll back|rehearse|retry)/i;
let tenantId = "";
let failedId = "";
/** The shared target's migrations, when this spec applied them (rolled back again at the end). */
let sharedExecution = "";

async function sql<R extends Record<string, unknown>>(statement: string): Promise<R[]> {
  const session = await fleetSession(FLEET.sharedEu);
  try {
    return (await session.query<R>(statement)).rows;
  } finally {
    await session.end();
  }
}

async function asViewer(browser: Browser, check: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "viewer");
    await check(page);
  } finally {
    await context.close();
  }
}

test.beforeAll(async ({ browser }) => {
  // The trap: a table tenant/0003_invoices creates is already there, so the execution fails on it.
  await sql(`drop schema if exists "${SCHEMA}" cascade`);
  await sql(`create schema "${SCHEMA}"; create table "${SCHEMA}".invoices (kept text)`);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "operator");
    await ensureAdminApplied(page.request);
    const databases = (await (await page.request.get("/api/databases?connection_type=shared&region=eu-west-1")).json()) as { items: { id: string }[] };
    const databaseId = databases.items[0]!.id;
    // Tenant invoices need the region's currencies: the shared target must have them.
    const shared = await planOf(page.request, { scope: "single", database_id: databaseId });
    if (shared.totals.pending_migrations > 0) {
      const run = await startExecution(page.request, { scope: "single", database_id: databaseId, dry_run: false, plan_fingerprint: shared.fingerprint });
      expect((await waitUntilEnded(page.request, run.id)).status).toBe("completed");
      sharedExecution = run.id;
    }
    const registered = await page.request.post("/api/tenants/discover", {
      data: { connection_id: databaseId, tenants: [{ schema_name: SCHEMA, slug: "e2e-rollback", name: "Rollback Ltd" }] },
    });
    expect(registered.status(), await registered.text()).toBe(201);
    tenantId = ((await registered.json()) as { items: { id: string }[] }).items[0]!.id;
  } finally {
    await context.close();
  }
});

test.afterAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "operator");
  if (tenantId) await page.request.patch(`/api/tenants/${tenantId}`, { data: { status: "archived" } });
  await sql(`drop schema if exists "${SCHEMA}" cascade`);
  if (sharedExecution) {
    const undo = await page.request.post("/api/migrations/rollback", { data: { execution_id: sharedExecution } });
    if (undo.status() === 202) await waitUntilEnded(page.request, ((await undo.json()) as { id: string }).id);
  }
  await context.close();
});

test("an operator migrates the tenant and the execution fails after applying two migrations", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto(`/tenants/${tenantId}`);
  await page.getByRole("button", { name: "Migrate this tenant" }).click();
  await page.getByRole("alertdialog", { name: "Migrate Rollback Ltd?" }).getByRole("button", { name: "Migrate", exact: true }).click();
  await expect(page).toHaveURL(/\/executions\//);
  failedId = page.url().split("/executions/")[1]!;
  const execution = page.getByTestId("execution");
  await expect(execution).toHaveAttribute("data-status", "failed", { timeout: 120_000 });
  const row = page.getByRole("region", { name: "Targets of this execution" }).locator(`tr[data-target$='/${SCHEMA}']`);
  await expect(row).toContainText("42P07");
  await expect(row).toContainText("2 of 6");
});

test("a viewer sees the failure but no rollback, retry or per-target control", async ({ browser }) => {
  await asViewer(browser, async (page) => {
    await page.goto(`/executions/${failedId}`);
    await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "failed");
    await expect(page.getByTestId("execution-error")).toContainText("1 failed");
    await expect(page.getByRole("button", { name: CONTROLS })).toHaveCount(0);
    await page.getByRole("button", { name: /Show migrations/ }).click();
    await expect(page.getByRole("list", { name: "Migrations" })).toContainText("tenant/0003_invoices");
    await expect(page.getByRole("button", { name: CONTROLS })).toHaveCount(0);
    await page.goto(`/tenants/${tenantId}`);
    await expect(page.getByRole("region", { name: "Applied migrations" })).toContainText("tenant/0002_contacts");
    await expect(page.getByRole("button", { name: CONTROLS })).toHaveCount(0);
  });
});

test("the operator rehearses the rollback, runs it after seeing what each target undoes, and sees it complete", async ({ page }) => {
  await signIn(page, "operator");
  // The tenant's page offers a rollback to a version, with its plan: keep 0001, undo 0002.
  await page.goto(`/tenants/${tenantId}`);
  await page.getByRole("button", { name: "Roll back to version…" }).click();
  const toVersion = page.getByRole("dialog", { name: "Roll back Rollback Ltd to a version" });
  await expect(toVersion.getByRole("combobox", { name: "Keep up to version" })).toContainText("0001");
  await expect(toVersion.getByRole("list", { name: `Undone on ${SCHEMA}` }).getByRole("listitem")).toHaveText(["tenant/0002_contacts"]);
  await page.screenshot({ path: "test-results/rollback-to-version-dialog.png" });
  await page.keyboard.press("Escape");
  await expect(toVersion).toBeHidden();

  await page.goto(`/executions/${failedId}`);
  await expect(page.getByRole("button", { name: "Retry failed targets" })).toBeVisible();
  await page.getByRole("button", { name: /Show migrations/ }).click();
  await expect(page.getByRole("button", { name: "Roll back this target" })).toBeVisible();

  // Rehearsal: the down parts run on the real schema inside a transaction that is rolled back.
  await page.getByRole("button", { name: "Rehearse rollback" }).click();
  await expect(page).not.toHaveURL(new RegExp(failedId));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Rehearsed rollback of ${failedId.slice(0, 8)}`);
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  const rehearsed = page.getByRole("region", { name: "Targets of this execution" }).locator(`tr[data-target$='/${SCHEMA}']`);
  await expect(rehearsed.getByText("Would roll back")).toBeVisible();
  expect(await sql(`select version from "${SCHEMA}"._schema_migrations order by 1`)).toEqual([{ version: "0001" }, { version: "0002" }]);

  // Back to the failed execution: Roll back…, with the plan per target first.
  await page.getByRole("link", { name: `execution ${failedId.slice(0, 8)}` }).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${failedId}$`));
  await page.getByRole("button", { name: "Roll back…", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back this execution?" });
  const undone = dialog.getByRole("list", { name: `Undone on ${SCHEMA}` });
  await expect(undone.getByRole("listitem")).toHaveText(["tenant/0002_contacts", "tenant/0001_accounts"]);
  await expect(dialog.getByText("2 migration runs undone on 1 target, newest first.")).toBeVisible();
  await page.screenshot({ path: "test-results/rollback-dialog.png" });
  await dialog.getByRole("button", { name: "Roll back", exact: true }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Rollback of ${failedId.slice(0, 8)}`);
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  const reverted = page.getByRole("region", { name: "Targets of this execution" }).locator(`tr[data-target$='/${SCHEMA}']`);
  await expect(reverted).toHaveAttribute("data-status", "succeeded");
  await expect(reverted).toContainText("2 of 2");

  await page.getByRole("link", { name: `execution ${failedId.slice(0, 8)}` }).click();
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "rolled_back");
  await expect(page.getByText("It failed before it was rolled back:")).toBeVisible();
  await expect(page.getByTestId("execution-error")).toContainText("1 failed");
  await expect(page.getByText(/Rolled back by/)).toBeVisible();
  await expect(page.getByRole("button", { name: CONTROLS })).toHaveCount(0);
  // The schema: the trap table the execution never created is all that is left.
  expect(await sql(`select count(*)::int as n from "${SCHEMA}"._schema_migrations`)).toEqual([{ n: 0 }]);
  expect(await sql(`select table_name from information_schema.tables where table_schema = '${SCHEMA}' and table_name <> '_schema_migrations'`)).toEqual([
    { table_name: "invoices" },
  ]);
});
