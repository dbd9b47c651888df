import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ensureAdminApplied, ensureSharedApplied, fleetSession, FLEET } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * A waved rollout in the browser: four tenants of the spec's own (one tagged as the canary, whose
 * schema already holds the table the first tenant migration creates). An operator executes their
 * plan in waves (canary, 1 target, rest); the execution page shows the canary failing and the
 * rollout halting, with the later waves never started; the spec removes the table, the operator
 * resumes, and the waves run to the end. The tenants are archived and their schemas dropped after.
 */

test.describe.configure({ mode: "serial", timeout: 240_000 });

const RUN = randomBytes(3).toString("hex");
const TAG = `e2e-canary-${RUN}`;
const tenants: Array<{ id: string; schema: string }> = [];

async function sql(statement: string): Promise<void> {
  const session = await fleetSession(FLEET.sharedEu);
  try {
    await session.query(statement);
  } finally {
    await session.end();
  }
}

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "operator");
    await ensureAdminApplied(page.request);
    await ensureSharedApplied(page.request, "eu-west-1");
    const databases = (await (await page.request.get("/api/databases?connection_type=shared&region=eu-west-1")).json()) as { items: { id: string }[] };
    for (let i = 0; i < 4; i++) {
      const response = await page.request.post("/api/tenants", {
        data: {
          slug: `e2e-wave-${RUN}-${i}`,
          name: `Wave ${RUN} ${i}`,
          connection_id: databases.items[0]!.id,
          create_schema: true,
          metadata: i === 0 ? { tags: [TAG] } : {},
        },
      });
      expect(response.status(), await response.text()).toBe(201);
      const tenant = (await response.json()) as { id: string; schema_name: string };
      tenants.push({ id: tenant.id, schema: tenant.schema_name });
    }
  } finally {
    await context.close();
  }
  // What the canary's first migration collides with, until the spec removes it.
  await sql(`create table "${tenants[0]!.schema}".accounts (kept_by_test int)`);
});

test.afterAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "operator");
  for (const t of tenants) {
    await page.request.patch(`/api/tenants/${t.id}`, { data: { status: "archived" } });
    await sql(`drop schema if exists "${t.schema}" cascade`);
  }
  await context.close();
});

test("an operator rolls out in waves, sees the canary fail and the rollout halt, fixes it and resumes", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto(`/plan?scope=tenant&tenant_ids=${tenants.map((t) => t.id).join(",")}`);
  await page.getByRole("button", { name: "Approve and execute" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Execute this plan?" });
  await dialog.getByLabel("Roll out in waves").check();
  await dialog.getByLabel("Canary tenants").fill(TAG);
  await dialog.getByLabel("Then").fill("1, rest");
  await dialog.getByRole("button", { name: "Execute", exact: true }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);

  // The canary fails on the table in its way; the rollout halts and says why.
  const execution = page.getByTestId("execution");
  await expect(execution).toHaveAttribute("data-status", "halted", { timeout: 120_000 });
  const strip = page.getByTestId("wave-strip");
  await expect(strip.getByTestId("wave-0")).toHaveAttribute("data-status", "halted");
  await expect(strip.getByTestId("wave-0")).toContainText("canary");
  await expect(strip.getByTestId("wave-0")).toContainText("1 failed");
  for (const w of ["wave-1", "wave-2"]) await expect(strip.getByTestId(w)).toHaveAttribute("data-status", "pending");
  await expect(page.getByTestId("halt-reason")).toContainText("1 of 1 targets failed in wave 1 (canary)");
  const canaryRow = page.getByRole("region", { name: "Targets of this execution" }).locator(`tr[data-target$='/${tenants[0]!.schema}']`);
  await expect(canaryRow).toContainText("42P07");

  // The operator clears what was in the way and resumes: the canary runs again, then the other waves.
  await sql(`drop table "${tenants[0]!.schema}".accounts`);
  await page.getByRole("button", { name: "Resume rollout…" }).click();
  const resume = page.getByRole("alertdialog", { name: "Resume this rollout?" });
  await expect(resume).toContainText("wave 1 (canary)");
  await resume.getByRole("button", { name: "Resume", exact: true }).click();
  await expect(execution).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  for (const w of ["wave-0", "wave-1", "wave-2"]) await expect(strip.getByTestId(w)).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("halt-reason")).toHaveCount(0);
  await expect(page.getByTestId("wave-strip").locator("..")).toContainText(/Resumed by operator in wave 1 \(1 retried\)/);
});
