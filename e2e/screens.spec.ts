import { expect, test } from "@playwright/test";
import { consolePages, openSettled, pageIds, type PageIds } from "./dashboard-pages";
import { signIn } from "./support/auth";

/**
 * Acceptance 4 (pictures): every page at 1440×900 in light and dark, as an admin who sees all of
 * it. The screenshots are test artifacts under test-results/<this test>/, never committed.
 */

let ids: PageIds;
test.beforeAll(async ({ browser }) => {
  ids = await pageIds(browser);
});

for (const theme of ["light", "dark"] as const) {
  test(`every page in the ${theme} theme`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await page.addInitScript((t) => localStorage.setItem("console-theme", t), theme);
    await signIn(page, "admin");
    for (const { name, path } of consolePages(ids)) {
      await openSettled(page, path);
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      // Nothing may push the page sideways at a laptop width: wide content scrolls inside its card.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} is wider than the window`).toBeLessThanOrEqual(1440);
      await page.screenshot({ path: testInfo.outputPath(`${name}-${theme}.png`), fullPage: true });
    }
  });
}
