import { expect, test } from "@playwright/test";
import type { Plan } from "../components/api/get-plan";
import { ensureAdminApplied, ensureSharedApplied, fleetSession, planOf, startExecution, waitUntilEnded } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * The lock view on the execution page: a tenant is migrated, then rolled back; its rollback must
 * drop a column of `accounts` (ACCESS EXCLUSIVE) while a session of the test's, named like a report
 * job, has read the table in an open transaction. (The rollback returns the tenant to where it was,
 * so specs after this one find the same tenant.) The page names that session, what it holds and
 * since when; when it lets go the rollback completes and the lock view is gone.
 */

test.describe.configure({ timeout: 240_000 });

test("an operator sees which session holds up a running target, until it lets go", async ({ page }) => {
  await signIn(page, "operator");
  await ensureAdminApplied(page.request);

  // A tenant with work to do, migrated on its own (its region's shared database first), so what
  // other specs left elsewhere in the region cannot fail this spec's setup.
  let target: Plan["targets"][number] | undefined;
  for (const region of ["eu-west-1", "us-east-1"]) {
    target = (await planOf(page.request, { scope: "regional", region })).targets.find((t) => t.status === "pending" && t.tenant_id);
    if (target) {
      await ensureSharedApplied(page.request, region);
      break;
    }
  }
  expect(target, "a tenant with migrations to apply").toBeTruthy();
  const label = `${target!.connection_name}/${target!.schema_name}`;
  const scope = { scope: "tenant" as const, tenant_ids: [target!.tenant_id!] };
  const plan = await planOf(page.request, scope);
  const applied = await startExecution(page.request, { ...scope, dry_run: false, plan_fingerprint: plan.fingerprint });
  const setup = await waitUntilEnded(page.request, applied.id);
  expect(setup.status, JSON.stringify(setup.targets.map((t) => [t.schema_name, t.status, t.error]))).toBe("completed");

  const reader = await fleetSession(target!.database_name);
  try {
    await reader.query("set application_name = 'month-end-report'");
    await reader.query("begin");
    await reader.query(`select count(*) from "${target!.schema_name}".accounts`);

    const response = await page.request.post("/api/migrations/rollback", { data: { execution_id: applied.id } });
    expect(response.status(), await response.text()).toBe(202);
    const rollback = (await response.json()) as { id: string };
    await page.goto(`/executions/${rollback.id}`);

    const view = page.getByTestId("lock-view");
    await expect(view.getByRole("region", { name: `Lock wait of ${label}` })).toContainText(
      `${label} waits for ACCESS EXCLUSIVE on ${target!.schema_name}.accounts`,
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
