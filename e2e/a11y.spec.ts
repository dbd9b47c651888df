import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { consolePages, openSettled, pageIds, type PageIds } from "./dashboard-pages";
import { signIn } from "./support/auth";

/**
 * Acceptance 4 (accessibility): axe finds no serious or critical WCAG 2.1 A/AA violation on any
 * page, in either theme (contrast differs between them). Menus and selects are closed.
 */

let ids: PageIds;
test.beforeAll(async ({ browser }) => {
  ids = await pageIds(browser);
});

for (const theme of ["light", "dark"] as const) {
  test(`no serious accessibility violations in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.addInitScript((t) => localStorage.setItem("console-theme", t), theme);
    await signIn(page, "admin");
    const found: string[] = [];
    for (const { name, path } of consolePages(ids)) {
      await openSettled(page, path);
      const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        found.push(`${name} (${theme}): ${v.id} [${v.impact}] ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
      }
    }
    expect(found).toEqual([]);
  });
}
