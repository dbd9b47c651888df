import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import type { Plan } from "../components/api/get-plan";
import { createFleetDatabase, fleetSession, planOf } from "./dashboard-fleet";
import { signIn } from "./support/auth";
import { clientToken } from "./support/local-console";
import { E2E } from "./support/ports";

/**
 * Reviewing a plan before approving it, on a region of this spec's own (a fresh shared database
 * with one tenant, and a fresh analytics database), so what is pending does not depend on the
 * other specs:
 *  - the tenant is blocked by its providers: Dry-run and Execute are disabled with the reason, on
 *    the plan and on the tenant's page; "Include what it needs" names the targets it adds and makes
 *    the plan runnable; the copied curl command returns the same plan;
 *  - a failed rehearsal shows as failed and executing needs "execute anyway" typed; after a clean
 *    one, executing is the primary action and the run completes;
 *  - the SQL of a pending migration is on the plan page, its lint finding on its statement;
 *  - focus lands on the result after "Preview plan" and after "Dry-run"; the tenant list is one
 *    tab stop; axe finds nothing serious on these states, light and dark.
 */

test.describe.configure({ mode: "serial", timeout: 300_000 });

const run = promisify(execFile);
const suffix = randomBytes(3).toString("hex");
const region = `rv-${suffix}`;
const tenantName = `Include Needs ${suffix}`; // 20 characters: what the search types
const slug = `needs-${suffix}`;
const schema = `tenant_needs_${suffix}`;

let shared: Awaited<ReturnType<typeof createFleetDatabase>>;
let analytics: Awaited<ReturnType<typeof createFleetDatabase>>;
let tenantId: string;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await signIn(page, "operator");
    shared = await createFleetDatabase(page.request, { name: `shared-${region}`, tier: "shared", region });
    analytics = await createFleetDatabase(page.request, { name: `analytics-${region}`, tier: "analytics", region });
    const created = await page.request.post("/api/tenants", {
      data: { slug, name: tenantName, connection_id: shared.id, schema_name: schema, create_schema: true },
    });
    expect(created.status(), await created.text()).toBe(201);
    tenantId = ((await created.json()) as { id: string }).id;
  } finally {
    await page.close();
  }
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await signIn(page, "operator");
    if (tenantId) await page.request.patch(`/api/tenants/${tenantId}`, { data: { status: "archived" } });
    await shared?.remove(page.request);
    await analytics?.remove(page.request);
  } finally {
    await page.close();
  }
});

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

/**
 * axe on the page as it stands, in the light theme and then the dark one (contrast differs). With a
 * modal open, `within` names it: the page behind is inert and dimmed by the overlay (and was checked
 * before the modal opened), so its contrast under the overlay is not what a reader meets.
 */
async function expectAccessible(page: Page, what: string, within?: string) {
  const found: string[] = [];
  for (const dark of [false, true]) {
    await page.evaluate((d) => {
      document.documentElement.classList.toggle("dark", d);
      document.documentElement.style.colorScheme = d ? "dark" : "light";
    }, dark);
    const axe = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
    const { violations } = await (within ? axe.include(within) : axe).analyze();
    for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      found.push(`${what} (${dark ? "dark" : "light"}): ${v.id} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
    }
  }
  await page.evaluate(() => {
    document.documentElement.classList.remove("dark");
    document.documentElement.style.colorScheme = "light";
  });
  expect(found).toEqual([]);
}

test("a tenant blocked by its providers: nothing to run, with the reason, until it includes what it needs", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/plan");
  await page.getByRole("combobox", { name: "Scope" }).click();
  await page.getByRole("option", { name: "Tenants" }).click();
  const list = page.getByRole("list", { name: "Matching tenants" });
  await expect(list.getByRole("checkbox").first()).toBeVisible();

  // Typing a 20-character search asks the server at most three times.
  const searches: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/tenants?") && r.url().includes("search=")) searches.push(r.url());
  });
  await page.getByRole("textbox", { name: "Search tenants" }).pressSequentially(tenantName);
  await expect(list.getByRole("checkbox")).toHaveCount(1);
  await expect(list).toContainText(slug);
  expect(searches.length, searches.join("\n")).toBeGreaterThanOrEqual(1);
  expect(searches.length, searches.join("\n")).toBeLessThanOrEqual(3);
  await list.getByRole("checkbox").check();

  // The tenant list is one tab stop; arrow keys move within it.
  await page.getByRole("textbox", { name: "Search tenants" }).fill("");
  await expect.poll(() => list.getByRole("checkbox").count()).toBeGreaterThan(2);
  await expect(list.locator('[role="checkbox"][tabindex="0"]')).toHaveCount(1);
  await list.getByRole("checkbox").first().focus();
  await page.keyboard.press("ArrowDown");
  const second = await list.getByRole("checkbox").nth(1).getAttribute("id");
  expect(await activeId(page)).toBe(second);
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest('[aria-label="Matching tenants"]'))).toBe(false);
  await page.keyboard.press("Shift+Tab");
  expect(await activeId(page)).toBe(second);

  // Preview: the focus moves to the result's heading.
  await page.getByRole("button", { name: "Preview plan" }).click();
  await expect(page).toHaveURL(new RegExp(`tenant_ids=${tenantId}`));
  await expect.poll(() => activeId(page)).toBe("plan-summary-title");
  await expect(page.locator("#plan-summary-title")).toContainText("0 targets ready, 1 blocked");

  // Nothing ready: both steps disabled, and the page says why.
  const reason = page.getByTestId("plan-not-ready");
  await expect(reason).toContainText("Nothing is ready to run: 1 blocked of 1 target");
  for (const name of ["Dry-run", "Approve and execute"]) {
    const button = page.getByRole("button", { name, exact: true });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute("aria-describedby", (await reason.getAttribute("id"))!);
  }

  // The way forward names what it adds.
  const offer = page.getByTestId("providers-needed");
  await expect(offer).toContainText("1 blocked target waits for migrations");
  await expect(offer.getByRole("list", { name: "Targets it would add" })).toContainText(`shared-${region}/public`);
  await expectAccessible(page, "blocked plan");

  // The tenant's own page says the same, and links to the plan with what it needs.
  const planUrl = page.url();
  await page.goto(`/tenants/${tenantId}`);
  await expect(page.getByRole("button", { name: "Migrate this tenant" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Dry-run" })).toBeDisabled();
  await expect(page.getByTestId("tenant-not-ready")).toContainText("Blocked: it needs migrations its providers have not applied");
  await expect(page.getByRole("link", { name: "Plan with what it needs" })).toHaveAttribute("href", new RegExp(`tenant_ids=${tenantId}&include_providers=true`));
  await expectAccessible(page, "blocked tenant");
  await page.goto(planUrl);

  await page.getByRole("button", { name: "Include what it needs" }).click();
  await expect(page).toHaveURL(/include_providers=true/);
  await expect(page.getByTestId("included-providers")).toContainText(`shared-${region}/public`);
  await expect(page.locator("#plan-summary-title")).toContainText(/\d+ targets? ready$/);
  await expect(page.getByTestId("plan-not-ready")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Dry-run", exact: true })).toBeEnabled();
  const rows = page.getByRole("region", { name: "Plan targets" });
  await expect(rows.locator(`tr[data-target="shared-${region}/public"]`)).toContainText("needed");

  // "Copy as API call": the curl command, run with a real token, returns the same plan.
  const fingerprint = await page.getByTestId("plan-fingerprint").getAttribute("title");
  await page.getByRole("button", { name: "Copy as API call" }).click();
  const dialog = page.getByRole("dialog", { name: "Copy as API call" });
  const planCall = dialog.locator('[data-testid="api-call"][data-operation="getPlan"]');
  const curl = await planCall.getByTestId("curl").innerText();
  expect(curl).toContain('-H "Authorization: Bearer $TOKEN"');
  const token = await clientToken(E2E.realmPort, "ci-operator");
  const { stdout } = await run("sh", ["-c", curl], { env: { ...process.env, TOKEN: token } });
  const copied = JSON.parse(stdout) as Plan;
  expect(copied.fingerprint).toBe(fingerprint);
  expect(copied.included_providers.map((t) => t.connection_name)).toContain(`shared-${region}`);
  // The execute call carries the exact body the page sends.
  const execute = await dialog.locator('[data-testid="api-call"]', { hasText: "Approve and execute" }).getByTestId("curl").innerText();
  expect(execute).toContain(`--data '{"scope":"tenant","tenant_ids":["${tenantId}"],"include_providers":true,"dry_run":false,"plan_fingerprint":"${fingerprint}"}'`);
  await expect(dialog.locator('[data-testid="api-call"]', { hasText: "Approve and execute" }).getByTestId("client")).toContainText("await api.execute(");
  await expectAccessible(page, "copy as API call", '[role="dialog"]');
  await page.keyboard.press("Escape");
});

test("a failed rehearsal reads failed and executing needs the words typed; after a clean one it executes and completes", async ({ page }) => {
  // The tenant's schema already holds a table its first migration creates: its rehearsal fails.
  const db = await fleetSession(shared.database);
  try {
    await db.query(`create table "${schema}".accounts (id integer primary key)`);
  } finally {
    await db.end();
  }
  await signIn(page, "operator");
  await page.goto(`/plan?scope=tenant&tenant_ids=${tenantId}&include_providers=true`);
  await page.getByRole("button", { name: "Dry-run", exact: true }).click();
  await expect.poll(() => activeId(page)).toBe("rehearsal-title");
  const rehearsal = page.getByTestId("rehearsal");
  await expect(rehearsal).toHaveAttribute("data-status", "failed", { timeout: 90_000 });

  const steps = page.getByRole("list", { name: "Steps" });
  await expect(steps.locator('li[data-state="failed"]')).toHaveText(/Rehearse: failed on 1 target/);
  await expect(page.getByRole("button", { name: "Approve and execute" })).toHaveCount(0);
  const anyway = page.getByRole("button", { name: "Execute anyway…" });
  await expect(anyway).not.toHaveAttribute("data-variant", "default");
  await expect(page.getByRole("button", { name: "Rehearse again" })).toHaveAttribute("data-variant", "default");
  await anyway.click();
  const confirm = page.getByRole("alertdialog", { name: "Execute although the rehearsal failed?" });
  const go = confirm.getByRole("button", { name: "Execute anyway" });
  await expect(go).toBeDisabled();
  await confirm.getByLabel("Type execute anyway to confirm").fill("execute");
  await expect(go).toBeDisabled();
  await confirm.getByLabel("Type execute anyway to confirm").fill("execute anyway");
  await expect(go).toBeEnabled();
  await expectAccessible(page, "execute anyway", '[role="alertdialog"]');
  await confirm.getByRole("button", { name: "Cancel" }).click();

  // Fixed: rehearse again; clean, so executing is the primary action, and the run completes.
  const fix = await fleetSession(shared.database);
  try {
    await fix.query(`drop table "${schema}".accounts`);
  } finally {
    await fix.end();
  }
  await page.getByRole("button", { name: "Rehearse again" }).click();
  await expect(rehearsal).toHaveAttribute("data-status", "completed", { timeout: 90_000 });
  await expect(steps.locator('li[data-state="failed"]')).toHaveCount(0);
  const approve = page.getByRole("button", { name: "Approve and execute" });
  await expect(approve).toHaveAttribute("data-variant", "default");
  await approve.click();
  await page.getByRole("alertdialog", { name: "Execute this plan?" }).getByRole("button", { name: "Execute" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  const table = page.getByRole("region", { name: "Targets of this execution" });
  await expect(table.locator(`tr[data-target$="/${schema}"]`)).toHaveAttribute("data-status", "succeeded");
  await expect(table.locator(`tr[data-target="shared-${region}/public"]`)).toHaveAttribute("data-status", "succeeded");

  // The tenant's plan alone is now up to date.
  const after = await planOf(page.request, { scope: "tenant", tenant_ids: [tenantId] });
  expect(after.totals).toMatchObject({ targets: 1, up_to_date: 1, blocked: 0 });
});

test("the SQL of a pending migration is on the plan, its lint finding on the statement it concerns", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto(`/plan?scope=single&database_id=${analytics.id}`);
  await expect(page.locator("#plan-summary-title")).toContainText("3 pending migrations");
  const migrations = page.locator('[aria-labelledby="plan-migrations-title"]');
  await migrations.getByRole("button", { name: "Show SQL of analytics/0003_events_name_index" }).click();
  const sql = page.getByRole("region", { name: "SQL of analytics/0003_events_name_index" });
  const statement = sql.getByTestId("statement").filter({ hasText: "CREATE INDEX" });
  await expect(statement).toHaveCount(1);
  await expect(statement.getByTestId("lint-finding")).toContainText("non_concurrent_index");
  await expect(statement.getByTestId("lint-finding")).toContainText("blocks writes while it builds");

  // Per target, what runs there, in order.
  await page.getByRole("button", { name: `Show details of analytics-${region}/public` }).click();
  const order = page.getByRole("list", { name: `What runs on analytics-${region}/public, in order` });
  await expect(order.getByRole("listitem")).toHaveText([/analytics\/0001_events/, /analytics\/0002_daily_rollups/, /analytics\/0003_events_name_index/]);
  await expectAccessible(page, "SQL review");
});

test("the console has a favicon, and its catalog and health pages show no server path", async ({ page }) => {
  await signIn(page, "admin");
  const icon = await page.request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  await page.goto("/catalog");
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /icon\.svg/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main")).toContainText("migration files from");
  const root = path.resolve(".");
  expect(await page.locator("main").innerText()).not.toContain(root);
  await page.goto("/health");
  await expect(page.getByText(/Catalog loaded: \d+ migrations from/)).toBeVisible({ timeout: 30_000 });
  expect(await page.locator("main").innerText()).not.toContain(root);
});
