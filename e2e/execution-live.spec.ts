import { expect, test, type Page } from "@playwright/test";
import { ensureAdminApplied, holdMigration, planOf, startExecution, statusOf, tableCreatedBy } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * Acceptance 2: the execution page survives a reload mid-run and a cut event stream, and ends on
 * exactly the server's numbers. The run is held open by the test, not by the clock: one target's
 * first migration waits on a transaction of the test's (holdMigration) until the test releases it.
 */

test.describe.configure({ timeout: 240_000 });

async function shown(page: Page) {
  const counts = page.getByTestId("execution-counts");
  const read = async (label: RegExp) =>
    Number(await counts.locator("div").filter({ has: page.locator("dt", { hasText: label }) }).locator("dd").first().innerText());
  return {
    // A rehearsal says what would happen: "Would apply", "Would fail".
    completed_targets: await read(/^(Succeeded|Would apply)$/),
    failed_targets: await read(/^(Failed|Would fail)$/),
    skipped_targets: await read(/^Skipped$/),
    remaining_targets: await read(/^Remaining$/),
    total_targets: await read(/^Total$/),
  };
}

test("reloading mid-run and cutting the event stream both end on the server's final numbers", async ({ page, context }) => {
  await signIn(page, "operator");
  await ensureAdminApplied(page.request);

  // A region with work to do, and one of its tenants to hold back.
  let region = "eu-west-1";
  let plan = await planOf(page.request, { scope: "regional", region });
  if (plan.totals.pending === 0) {
    region = "us-east-1";
    plan = await planOf(page.request, { scope: "regional", region });
  }
  // A tenant not migrated yet: its first migration creates `accounts`, which the test holds back.
  const held = plan.targets.find((t) => t.status === "pending" && t.tenant_id && t.pending[0] === "tenant/0001_accounts");
  expect(held, `a tenant with every migration pending in ${region}`).toBeTruthy();
  const release = await holdMigration(held!, await tableCreatedBy(page.request, held!.pending[0]!));

  try {
    const execution = await startExecution(page.request, { scope: "regional", region, dry_run: false, plan_fingerprint: plan.fingerprint });
    const url = `/executions/${execution.id}`;
    await page.goto(url);
    const view = page.getByTestId("execution");
    const heldRow = page.locator(`tr[data-target='${held!.connection_name}/${held!.schema_name}']`);
    // Everything else finishes; the held tenant waits for its lock.
    await expect(page.getByTestId("execution-counts").locator("dd").first()).not.toHaveText("0", { timeout: 60_000 });
    await expect(view).toHaveAttribute("data-status", "in_progress");

    // 1. Reload mid-run: the page comes back on the same execution, still live.
    await page.reload();
    await expect(view).toHaveAttribute("data-status", "in_progress");
    await expect(page.locator("[data-stream='live']")).toBeVisible();
    await expect(heldRow).toBeVisible();

    // 2. Cut the stream: the network goes away, and the first attempt to reconnect is refused too.
    let refused = 0;
    await page.route(/\/api\/migrations\/[^/]+\/events/, async (route) => {
      if (refused++ === 0) await route.abort("connectionreset");
      else await route.continue();
    });
    await context.setOffline(true);
    await expect(page.locator("[data-stream='reconnecting']")).toBeVisible({ timeout: 20_000 });
    await context.setOffline(false);
    await expect(page.locator("[data-stream='live']")).toBeVisible({ timeout: 30_000 });
    expect(refused, "the reconnect went through the refused attempt").toBeGreaterThanOrEqual(2);

    // Let the held tenant go: the run completes while the page follows it over the stream.
    await release();
    await expect(view).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
    const server = await statusOf(page.request, execution.id);
    expect(server.status).toBe("completed");
    expect(await shown(page)).toEqual({
      completed_targets: server.progress.completed_targets,
      failed_targets: server.progress.failed_targets,
      skipped_targets: server.progress.skipped_targets,
      remaining_targets: 0,
      total_targets: server.progress.total_targets,
    });
    for (const t of server.targets) {
      await expect(page.locator(`tr[data-target='${t.connection_name}/${t.schema_name}']`)).toHaveAttribute("data-status", t.status);
    }
    await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", String(server.progress.total_targets));

    // A reload after the end shows the same, from the status alone.
    await page.reload();
    expect(await shown(page)).toEqual({
      completed_targets: server.progress.completed_targets,
      failed_targets: server.progress.failed_targets,
      skipped_targets: server.progress.skipped_targets,
      remaining_targets: 0,
      total_targets: server.progress.total_targets,
    });
  } finally {
    await release();
  }
});

test("cancelling from the execution page stops the run, and the page follows it to cancelled", async ({ page }) => {
  await signIn(page, "operator");
  // A rehearsal of the whole fleet changes nothing, so this test leaves no trace for others. The
  // analytics database's first pending migration (its table) is held so the run is still going when
  // the operator cancels.
  const plan = await planOf(page.request, { scope: "all" });
  // The demo fleet's own analytics database (other tests may register more, some unreachable).
  const analytics = plan.targets.find((t) => t.database_type === "analytics" && t.connection_name === "analytics");
  expect(analytics && analytics.pending.length, "the analytics database has pending migrations").toBeTruthy();
  const release = await holdMigration(analytics!, await tableCreatedBy(page.request, analytics!.pending[0]!));
  try {
    const rehearsal = await startExecution(page.request, { scope: "all", dry_run: true, plan_fingerprint: plan.fingerprint });
    await page.goto(`/executions/${rehearsal.id}`);
    await expect(page.locator("[data-stream='live']")).toBeVisible();
    await page.getByRole("button", { name: "Cancel execution" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Cancel this execution?" });
    await confirm.getByRole("button", { name: "Cancel execution" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByText(/Cancellation requested by operator/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Cancel execution" })).toHaveCount(0);
    await release();
    await expect(page.getByTestId("execution")).toHaveAttribute("data-status", "cancelled", { timeout: 90_000 });
    const server = await statusOf(page.request, rehearsal.id);
    expect(await shown(page)).toMatchObject({
      completed_targets: server.progress.completed_targets,
      failed_targets: server.progress.failed_targets,
      skipped_targets: server.progress.skipped_targets,
      total_targets: server.progress.total_targets,
    });
  } finally {
    await release();
  }
});
