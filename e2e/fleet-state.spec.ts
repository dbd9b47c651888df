import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { FleetStateView } from "../server/migrations/plans/fleet-state-schemas";
import type { TenantList } from "../server/tenants/schemas";
import { ensureAdminApplied, planOf, startExecution, waitUntilEnded } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * The fleet's state at a glance: a fleet where some tenants are at head and some behind (four new
 * tenants on the eu-west-1 shared database, two of them migrated), then the Tenants page filtered
 * to "Behind" lists exactly the tenants the plan finds behind, the Overview shows the per-region
 * and tier figures the API counts, and the shared database's page lists the tenants it hosts with
 * their versions.
 */

test.describe.configure({ timeout: 240_000 });

const REGION = "eu-west-1";
const suffix = Date.now().toString(36);
const SLUGS = ["a", "b", "c", "d"].map((x) => `fs-${suffix}-${x}`);

async function sharedDatabase(request: APIRequestContext) {
  const res = await request.get(`/api/databases?connection_type=shared&region=${REGION}&limit=10`);
  expect(res.status()).toBe(200);
  const db = ((await res.json()) as { items: Array<{ id: string; name: string; is_active: boolean }> }).items.find((d) => d.is_active);
  expect(db, `an active shared database in ${REGION}`).toBeTruthy();
  return db!;
}

async function runToEnd(request: APIRequestContext, body: Parameters<typeof startExecution>[1]) {
  const execution = await startExecution(request, body);
  return waitUntilEnded(request, execution.id, 180_000);
}

/** Every row the Tenants page shows, page after page. */
async function listedSlugs(page: Page): Promise<string[]> {
  const slugs: string[] = [];
  for (;;) {
    const rows = page.getByRole("region", { name: "Tenants" }).locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    for (const id of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-testid") ?? ""))) slugs.push(id.replace(/^tenant-/, ""));
    const next = page.getByRole("navigation", { name: "Pages" }).getByRole("button", { name: "Next" });
    if ((await next.count()) === 0 || (await next.isDisabled())) return slugs.sort();
    const first = await rows.first().getAttribute("data-testid");
    await next.click();
    await expect(rows.first()).not.toHaveAttribute("data-testid", first!);
  }
}

async function choose(page: Page, combobox: string, option: string) {
  await page.getByRole("combobox", { name: combobox, exact: true }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

test("tenants filtered to behind are exactly the behind ones; the Overview and a database's page show the fleet's state", async ({ page }) => {
  await signIn(page, "operator");
  const request = page.request;
  await ensureAdminApplied(request);
  const shared = await sharedDatabase(request);
  // The region's shared target first: tenant files need its currencies.
  const own = await planOf(request, { scope: "single", database_id: shared.id });
  if (own.totals.pending_migrations > 0) expect((await runToEnd(request, { scope: "single", database_id: shared.id, dry_run: false })).status).toBe("completed");

  // Four new tenants; two of them migrated to head, two left behind.
  const ids: string[] = [];
  for (const slug of SLUGS) {
    const res = await request.post("/api/tenants", { data: { slug, name: `Fleet state ${slug}`, connection_id: shared.id, create_schema: true } });
    expect(res.status(), await res.text()).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  expect((await runToEnd(request, { scope: "tenant", tenant_ids: ids.slice(0, 2), dry_run: false })).status).toBe("completed");

  // A plan of every tenant reads every history (and so refreshes the state the lists show): its
  // targets with something pending are the behind ones.
  const plan = await planOf(request, { scope: "tenant", limit: 10_000 });
  const slugOf = new Map<string, string>();
  for (let offset = 0; ; offset += 500) {
    const res = await request.get(`/api/tenants?status=active&limit=500&offset=${offset}`);
    const list = (await res.json()) as TenantList;
    for (const t of list.items) slugOf.set(t.id, t.slug);
    if (offset + 500 >= list.total) break;
  }
  const behind = plan.targets.filter((t) => t.pending.length > 0 && t.status !== "unreachable").map((t) => slugOf.get(t.tenant_id!)!);
  expect(behind).toEqual(expect.arrayContaining(SLUGS.slice(2)));
  expect(behind).not.toContain(SLUGS[0]);

  // The Tenants page, active tenants filtered to "Behind".
  await page.goto("/tenants");
  await choose(page, "Status", "Active");
  await choose(page, "Migration state", "Behind");
  await expect(page.getByRole("region", { name: "Tenants" }).getByTestId(`tenant-${SLUGS[2]}`)).toBeVisible();
  expect(await listedSlugs(page)).toEqual([...behind].sort());
  const rowC = page.getByTestId(`tenant-${SLUGS[2]}`);
  await expect(rowC).toContainText("6 behind");
  await expect(page.getByTestId(`tenant-${SLUGS[0]}`)).toHaveCount(0);

  // At head: the migrated two, with their version; sorting by version keeps them listed.
  await choose(page, "Migration state", "At head");
  await page.getByRole("textbox", { name: "Search slug, name or schema" }).fill(`fs-${suffix}`);
  await expect(page.getByRole("region", { name: "Tenants" }).locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId(`tenant-${SLUGS[0]}`)).toContainText("0006");
  await expect(page.getByTestId(`tenant-${SLUGS[0]}`)).toContainText("At head");
  await page.getByRole("button", { name: /^Version/ }).click();
  await expect(page.getByRole("columnheader", { name: /Version/ })).toHaveAttribute("aria-sort", "ascending");

  // The Overview: the per-region and tier figures are the API's, and the API's are the plan's.
  const stateRes = await request.get("/api/migrations/fleet-state");
  const state = (await stateRes.json()) as FleetStateView;
  const tenantsEu = state.groups.find((g) => g.tier === "tenant" && g.region === REGION)!;
  const planEu = plan.targets.filter((t) => t.region === REGION && t.status !== "unreachable");
  expect(tenantsEu).toMatchObject({
    behind: planEu.filter((t) => t.pending.length > 0).length,
    at_head: planEu.filter((t) => t.pending.length === 0).length,
  });
  await page.goto("/");
  const row = page.getByTestId(`fleet-state-${REGION}-tenant`);
  await expect(row).toBeVisible();
  const cells = row.locator("td");
  await expect(cells.nth(1)).toHaveText(String(tenantsEu.targets));
  await expect(cells.nth(2)).toHaveText(String(tenantsEu.at_head));
  await expect(cells.nth(3)).toContainText(String(tenantsEu.behind));
  await expect(page.getByTestId(`fleet-state-${REGION}-shared`).locator("td").nth(2)).toHaveText("1");
  // Its figures lead to the same list.
  await cells.nth(3).getByRole("link").click();
  await expect(page).toHaveURL(/\/tenants\?state=behind&region=eu-west-1/);
  await expect(page.getByRole("combobox", { name: "Migration state" })).toContainText("Behind");

  // The shared database's page: its own version, and the tenants it hosts with theirs.
  await page.goto(`/databases/${shared.id}`);
  const head = state.catalog.tiers.find((t) => t.tier === "shared")!.head!;
  await expect(page.getByTestId("database-own-state")).toContainText(head);
  await expect(page.getByTestId("database-own-state")).toContainText("At head");
  const hosted = page.getByRole("region", { name: "Tenants on this database" });
  for (const [slug, version, pending] of [
    [SLUGS[0]!, "0006", "At head"],
    [SLUGS[3]!, "none", "6 behind"],
  ] as const) {
    for (;;) {
      if ((await hosted.getByTestId(`hosted-${slug}`).count()) > 0) break;
      await page.getByRole("navigation", { name: "Pages" }).getByRole("button", { name: "Next" }).click();
    }
    await expect(hosted.getByTestId(`hosted-${slug}`)).toContainText(version);
    await expect(hosted.getByTestId(`hosted-${slug}`)).toContainText(pending);
  }
});
