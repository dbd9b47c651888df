import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ensureAdminApplied, ensureSharedApplied, fleetSession, FLEET, startExecution, waitUntilEnded } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * Maintenance windows in the browser: an admin adds a window to the region's shared database on
 * its page (closed now: it opens hours from now, on a day the spec picks), a new tenant's execution
 * there shows "waiting for window, opens at …" on its page, and the admin starts it at once with a
 * reason. The spec holds the window closed itself; the window is deleted and the tenant archived
 * after.
 */

test.describe.configure({ mode: "serial", timeout: 180_000 });

const RUN = randomBytes(3).toString("hex");
const REGION = "eu-west-1";
let databaseId = "";
let tenant: { id: string; schema: string } | null = null;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "admin");
    await ensureAdminApplied(page.request);
    await ensureSharedApplied(page.request, REGION);
    const databases = (await (await page.request.get(`/api/databases?connection_type=shared&region=${REGION}`)).json()) as { items: { id: string }[] };
    databaseId = databases.items[0]!.id;
    const response = await page.request.post("/api/tenants", {
      data: { slug: `e2e-window-${RUN}`, name: `Window ${RUN}`, connection_id: databaseId, create_schema: true },
    });
    expect(response.status(), await response.text()).toBe(201);
    const created = (await response.json()) as { id: string; schema_name: string };
    tenant = { id: created.id, schema: created.schema_name };
  } finally {
    await context.close();
  }
});

test.afterAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "admin");
  const list = (await (await page.request.get(`/api/maintenance-windows?database_id=${databaseId}`)).json()) as { windows: { id: string; label: string | null }[] };
  for (const w of list.windows.filter((w) => w.label === `e2e ${RUN}`)) await page.request.delete(`/api/maintenance-windows/${w.id}`);
  if (tenant) {
    await page.request.patch(`/api/tenants/${tenant.id}`, { data: { status: "archived" } });
    const session = await fleetSession(FLEET.sharedEu);
    try {
      await session.query(`drop schema if exists "${tenant.schema}" cascade`);
    } finally {
      await session.end();
    }
  }
  await context.close();
});

test("an admin adds a window on the database page; an execution there waits for it and starts at once on override", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto(`/databases/${databaseId}`);
  const card = page.locator("[aria-label='Maintenance windows']");
  await card.getByRole("button", { name: "Add window to this database" }).click();
  const form = page.getByRole("form", { name: "New maintenance window" });
  // Closed now: one day, opening in six hours (UTC), for one hour.
  const opening = new Date(Date.now() + 6 * 3_600_000);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][opening.getUTCDay()]!;
  for (const d of ["Sat", "Sun"]) await form.getByLabel(d, { exact: true }).uncheck();
  await form.getByLabel(day, { exact: true }).check();
  await form.getByLabel("Opens at").fill(opening.toISOString().slice(11, 16));
  await form.getByLabel("Open for (hours)").fill("1");
  await form.getByLabel("Time zone").fill("Mars/Olympus");
  await form.getByLabel("Label").fill(`e2e ${RUN}`);
  await form.getByRole("button", { name: "Add window" }).click();
  // The server's 422 names the field, shown under it.
  await expect(form).toContainText("timezone must be an IANA time zone");
  await form.getByLabel("Time zone").fill("UTC");
  await form.getByRole("button", { name: "Add window" }).click();
  await expect(form).toHaveCount(0);
  await expect(card.getByTestId("maintenance-window")).toContainText(`e2e ${RUN}`);
  await expect(card.getByTestId("window-state")).toContainText("Closed");

  const execution = await startExecution(page.request, { scope: "tenant", tenant_ids: [tenant!.id], dry_run: false });
  await page.goto(`/executions/${execution.id}`);
  await expect(page.getByTestId("window-wait")).toContainText("Waiting for window, opens at", { timeout: 60_000 });
  await expect(page.getByTestId("target-window-wait")).toContainText("waiting for window, opens at");

  await page.getByRole("button", { name: "Start now" }).click();
  const dialog = page.getByRole("dialog", { name: "Start outside the maintenance window?" });
  await dialog.getByLabel("Reason").fill(`e2e hotfix ${RUN}`);
  await dialog.getByRole("button", { name: "Start now" }).click();
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(page.getByTestId("window-override")).toContainText(`e2e hotfix ${RUN}`);
  expect((await waitUntilEnded(page.request, execution.id)).metadata.window_override).toMatchObject({ reason: `e2e hotfix ${RUN}` });
});
