import { expect, test } from "@playwright/test";
import { consolePages, openSettled, pageIds, type PageIds } from "./dashboard-pages";
import { signIn } from "./support/auth";

/**
 * Acceptance 3: a viewer (migrations:read, databases:read) sees every page, and not one control
 * that would change something.
 */

// Words of every control that changes the fleet, a schedule or the registry.
const MUTATING = /dry-?run|rehearse|execute|approve|roll back|cancel execution|migrate|delete|new schedule|create|register|edit|discover|enable|disable|suspend|archive|activate|reactivate|baseline|accept|resolve|retry failed/i;

let ids: PageIds;
test.beforeAll(async ({ browser }) => {
  ids = await pageIds(browser);
});

test("a viewer sees every page and no control that changes anything", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "viewer");
  for (const { name, path } of consolePages(ids)) {
    await test.step(name, async () => {
      await openSettled(page, path);
      const main = page.locator("main");
      const names = await main.getByRole("button").evaluateAll((buttons) =>
        buttons.map((b) => (b.getAttribute("aria-label") ?? b.textContent ?? "").trim()),
      );
      expect(names.filter((n) => MUTATING.test(n)), `mutating controls on ${path}`).toEqual([]);
      await expect(main.getByRole("switch")).toHaveCount(0);
      await expect(main.getByRole("link", { name: MUTATING })).toHaveCount(0);
    });
  }
  // What a viewer may not see at all is refused in words, not with a broken page.
  await openSettled(page, "/audit");
  await expect(page.locator("main").getByRole("alert")).toContainText("infrastructure:admin");
  await openSettled(page, "/plan?scope=regional&region=eu-west-1");
  await expect(page.getByText("Read-only: rehearsing and executing a plan need the migrations:execute permission.")).toBeVisible();
  // A database's health history is drawn once a few checks exist (the chart loads on demand).
  await openSettled(page, `/databases/${ids.databaseId}`);
  await expect(page.getByRole("figure", { name: "Response time of recent health checks" })).toBeVisible({ timeout: 45_000 });
});
