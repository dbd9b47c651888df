import { expect, test } from "@playwright/test";
import { consolePages, openSettled, pageIds, type PageIds } from "./dashboard-pages";
import { signIn } from "./support/auth";

/**
 * Acceptance 4 (pictures): every page at a laptop's 1440×900 and a phone's 390×844, in light and
 * dark, as an admin who sees all of it. At either width nothing pushes the page sideways: wide
 * content (tables, SQL) scrolls inside its card. The screenshots are test artifacts under
 * test-results/<this test>/, never committed.
 */

let ids: PageIds;
test.beforeAll(async ({ browser }) => {
  ids = await pageIds(browser);
});

const WIDTHS = [
  { label: "1440", width: 1440, height: 900 },
  { label: "390", width: 390, height: 844 },
] as const;

for (const { label, width, height } of WIDTHS) {
  for (const theme of ["light", "dark"] as const) {
    test(`every page at ${label} px in the ${theme} theme`, async ({ page }, testInfo) => {
      test.setTimeout(180_000);
      await page.setViewportSize({ width, height });
      await page.addInitScript((t) => localStorage.setItem("console-theme", t), theme);
      await signIn(page, "admin");
      const tooWide: string[] = [];
      for (const { name, path } of consolePages(ids)) {
        await openSettled(page, path);
        await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scrollWidth > width) tooWide.push(`${name}: ${scrollWidth} px`);
        await page.screenshot({ path: testInfo.outputPath(`${name}-${label}-${theme}.png`), fullPage: true });
      }
      expect(tooWide, `pages wider than the ${width} px window`).toEqual([]);
    });
  }
}
