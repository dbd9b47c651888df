import { expect, test, type Browser, type Page } from "@playwright/test";
import { legacyTenantSql } from "../tests/support/legacy-tenant-sql";
import { fleetSession, FLEET } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * Issue 13 in the browser: an operator adopts a schema built before the console (baseline, with
 * the verification of its objects shown first, a missing index fixed, then checked again), then
 * accepts a drift from the plan page with a reason. A viewer sees none of these controls. The
 * adopted tenant is archived at the end, so the other specs' plans do not see it.
 */

test.describe.configure({ mode: "serial", timeout: 180_000 });

const SCHEMA = "tenant_e2e_legacy";
let tenantId = "";
let databaseId = "";

async function sql(statement: string) {
  const session = await fleetSession(FLEET.sharedEu);
  try {
    await session.query(statement);
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
  // Built by hand: every object of the tenant tier, without the due-date index, no history table.
  await sql(`drop schema if exists "${SCHEMA}" cascade`);
  await sql(legacyTenantSql(SCHEMA, { throughHead: true, withoutCurrencyKey: true }));
  await sql(`drop index "${SCHEMA}".invoices_open_due_date_idx`);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "operator");
    const databases = (await (await page.request.get("/api/databases?connection_type=shared&region=eu-west-1")).json()) as { items: { id: string }[] };
    databaseId = databases.items[0]!.id;
    const registered = await page.request.post("/api/tenants/discover", {
      data: { connection_id: databaseId, tenants: [{ schema_name: SCHEMA, slug: "e2e-legacy", name: "Legacy Ltd" }] },
    });
    expect(registered.status(), await registered.text()).toBe(201);
    tenantId = ((await registered.json()) as { items: { id: string }[] }).items[0]!.id;
  } finally {
    await context.close();
  }
});

test.afterAll(async ({ browser }) => {
  if (!tenantId) return;
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "operator");
  await page.request.patch(`/api/tenants/${tenantId}`, { data: { status: "archived" } });
  await context.close();
});

test("a viewer sees the tenant's pending migrations but no Baseline control", async ({ browser }) => {
  await asViewer(browser, async (page) => {
    await page.goto(`/tenants/${tenantId}`);
    await expect(page.getByText("6 pending", { exact: false })).toBeVisible();
    await expect(page.getByRole("button", { name: /baseline/i })).toHaveCount(0);
  });
});

test("an operator adopts the schema: verification first, a missing index fixed, then baselined", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto(`/tenants/${tenantId}`);
  await page.getByRole("button", { name: "Baseline…" }).click();
  const dialog = page.getByRole("dialog", { name: `Baseline ${SCHEMA}` });
  await expect(dialog.getByRole("combobox", { name: "Already applied up to" })).toContainText("0006");
  // Nothing can be marked before the check.
  await expect(dialog.getByRole("button", { name: /^Mark/ })).toBeDisabled();

  await dialog.getByRole("button", { name: "Check the objects" }).click();
  const missing = dialog.getByRole("list", { name: `Missing in ${SCHEMA}` });
  await expect(missing).toContainText("index invoices_open_due_date_idx");
  await expect(missing).toContainText("tenant/0005_invoices_due_date_index.sql:7");
  await expect(dialog.getByText("1 lacking 1 object")).toBeVisible();
  await expect(dialog.getByRole("button", { name: /^Mark/ })).toBeDisabled();

  // The operator fixes the schema rather than marking over the gap, and checks again.
  await sql(`create index invoices_open_due_date_idx on "${SCHEMA}".invoices (due_date) where status in ('draft', 'issued')`);
  await dialog.getByRole("button", { name: "Check again" }).click();
  await expect(dialog.getByText("all objects present · 6 to mark")).toBeVisible();
  await dialog.getByLabel("Reason").fill("built by the old deploy scripts");
  await dialog.getByRole("button", { name: "Mark 6 as applied" }).click();
  await expect(page.getByText("Baselined 6 migrations")).toBeVisible();
  await expect(dialog).toBeHidden();

  const applied = page.getByRole("region", { name: "Applied migrations" });
  await expect(applied.locator("tbody tr")).toHaveCount(6);
  await expect(applied.getByText("baselined", { exact: true })).toHaveCount(6);
  await expect(applied.getByText("baseline (not run)").first()).toBeVisible();
  await expect(page.getByText("Nothing pending: this tenant is up to date with the catalog.")).toBeVisible();
});

test("a drift is accepted from the plan with a reason; a viewer sees the finding but no control", async ({ page, browser }) => {
  // The file the target ran differs from the catalog's now (as if edited after it was applied).
  await sql(`update "${SCHEMA}"._schema_migrations set checksum = 'edited-after-the-fact' where version = '0002'`);
  const planPath = `/plan?scope=single&database_id=${databaseId}&tenant_id=${tenantId}`;

  await asViewer(browser, async (viewer) => {
    await viewer.goto(planPath);
    const findings = viewer.getByRole("list", { name: "Blocking findings" });
    await expect(findings).toContainText("tenant/0002_contacts");
    await expect(viewer.getByRole("button", { name: /accept|resolve|baseline/i })).toHaveCount(0);
  });

  await signIn(page, "operator");
  await page.goto(planPath);
  const findings = page.getByRole("list", { name: "Blocking findings" });
  await expect(findings).toContainText("tenant/0002_contacts");
  await findings.getByRole("button", { name: "Accept drift…" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Accept drift of tenant/0002_contacts?" });
  // No reason, no acceptance.
  await dialog.getByRole("button", { name: "Accept drift" }).click();
  await expect(dialog.getByText("Say why in a few words")).toBeVisible();
  await dialog.getByLabel("Reason").fill("only a comment changed in the file");
  await dialog.getByRole("button", { name: "Accept drift" }).click();
  await expect(page.getByText("Drift of tenant/0002_contacts accepted")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("list", { name: "Blocking findings" })).toHaveCount(0);
  await expect(page.getByRole("main")).toContainText(/up to date/i);
});
