/**
 * Every console page, for the tests that walk all of them (viewer read-only, screenshots, axe).
 * Paths that need an id (an execution, a tenant) get one from the running console.
 */
import { expect, type Browser, type Page } from "@playwright/test";
import type { ExecutionList } from "../components/api/execution-types";
import { startExecution, waitUntilEnded } from "./dashboard-fleet";
import { signIn } from "./support/auth";

export interface ConsolePage {
  name: string;
  path: string;
}

export interface PageIds {
  executionId: string;
  tenantId: string;
  databaseId: string;
}

/**
 * An execution to show (a rehearsal of the admin database, harmless, started as operator when the
 * console has none yet), a tenant and a database (a region's shared one).
 */
export async function pageIds(browser: Browser): Promise<PageIds> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "operator");
    const list = (await (await page.request.get("/api/migrations?limit=1")).json()) as ExecutionList;
    let executionId = list.executions[0]?.id;
    if (!executionId) {
      const rehearsal = await startExecution(page.request, { scope: "all", dry_run: true });
      await waitUntilEnded(page.request, rehearsal.id);
      executionId = rehearsal.id;
    }
    const tenants = (await (await page.request.get("/api/tenants?limit=1")).json()) as { items: Array<{ id: string }> };
    const databases = (await (await page.request.get("/api/databases?connection_type=shared&limit=1")).json()) as { items: Array<{ id: string }> };
    return { executionId, tenantId: tenants.items[0]!.id, databaseId: databases.items[0]!.id };
  } finally {
    await context.close();
  }
}

export function consolePages(ids: PageIds): ConsolePage[] {
  return [
    { name: "overview", path: "/" },
    { name: "plan", path: "/plan?scope=regional&region=eu-west-1" },
    { name: "executions", path: "/executions" },
    { name: "execution", path: `/executions/${ids.executionId}` },
    { name: "catalog", path: "/catalog?file=tenant/0003_invoices" },
    { name: "schedules", path: "/schedules" },
    { name: "health", path: "/health" },
    { name: "audit", path: "/audit" },
    { name: "tenants", path: "/tenants" },
    { name: "tenant", path: `/tenants/${ids.tenantId}` },
    { name: "databases", path: "/databases" },
    { name: "database", path: `/databases/${ids.databaseId}` },
  ];
}

/** Opens a page and waits until it has settled: its heading (or its refusal) shown, nothing still loading. */
export async function openSettled(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("main h1, main [role=alert]").first()).toBeVisible();
  await expect(page.locator("main [data-slot=loading-state], main [data-slot=skeleton]")).toHaveCount(0, { timeout: 30_000 });
  // Charts load on demand; let the last requests land before judging the page.
  await page.waitForLoadState("networkidle").catch(() => {});
}
