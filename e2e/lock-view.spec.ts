import { expect, test } from "@playwright/test";
import { ensureAdminApplied, fleetSession, planOf, startExecution, waitUntilEnded } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * The lock view on the execution page: a region is migrated, then rolled back; one tenant's
 * rollback must drop a column of `accounts` (ACCESS EXCLUSIVE) while a session of the test's, named
 * like a report job, has read the table in an open transaction. (The rollback returns the region to
 * where it was, so specs after this one find the same fleet.) The page names that session, what it holds and since when; when it lets go
 * the rollback completes and the lock view is gone.
 */

test.describe.configure({ timeout: 240_000 });

test("an operator sees which session holds up a running target, until it lets go", async ({ page }) => {
  await signIn(page, "operator");
  await ensureAdminApplied(page.request);

  // A region with work to do: apply it (the tenants need their region's shared migrations too).
  let region: string | undefined;
  let plan;
  for (const candidate of ["eu-west-1", "us-east-1"]) {
    plan = await planOf(page.request, { scope: "regional", region: candidate });
    if (plan.targets.some((t) => t.status === "pending" && t.tenant_id)) {
      region = candidate;
      break;
    }
  }
  expect(region, "a region with tenants to migrate").toBeTruthy();
  const target = plan!.targets.find((t) => t.status === "pending" && t.tenant_id)!;
  const label = `${target.connection_name}/${target.schema_name}`;
  const applied = await startExecution(page.request, { scope: "regional", region, dry_run: false, plan_fingerprint: plan!.fingerprint });
  expect((await waitUntilEnded(page.request, applied.id)).status).toBe("completed");

  const reader = await fleetSession(target.database_name);
  try {
    await reader.query("set application_name = 'month-end-report'");
    await reader.query("begin");
    await reader.query(`select count(*) from "${target.schema_name}".accounts`);

    const response = await page.request.post("/api/migrations/rollback", { data: { execution_id: applied.id } });
    expect(response.status(), await response.text()).toBe(202);
    const rollback = (await response.json()) as { id: string };
    await page.goto(`/executions/${rollback.id}`);

    const view = page.getByTestId("lock-view");
    await expect(view.getByRole("region", { name: `Lock wait of ${label}` })).toContainText(
      `${label} waits for ACCESS EXCLUSIVE on ${target.schema_name}.accounts`,
      { timeout: 60_000 },
    );
    const blockers = view.getByRole("region", { name: `Sessions blocking ${label}` });
    await expect(blockers).toContainText("“month-end-report”");
    await expect(blockers).toContainText("ACCESS SHARE");
    await expect(blockers).toContainText("idle in transaction");
  } finally {
    await reader.query("rollback").catch(() => {});
    await reader.end();
  }
  await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "completed", { timeout: 60_000 });
  await expect(page.getByTestId("lock-view")).toHaveCount(0);
});
