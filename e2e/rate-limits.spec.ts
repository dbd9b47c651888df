import { expect, test, type Response } from "@playwright/test";
import { signIn } from "./support/auth";
import { clientToken } from "./support/local-console";
import { baseURL, E2E } from "./support/ports";

/**
 * The console never rate-limits itself. The suite's console runs with the default API limit
 * (RATE_LIMIT_RPM=60): an operator browsing 200 pages sees no rate-limit error and no request of
 * theirs is refused (the pages count in their own budget), while an API caller over 60 requests a
 * minute still gets 429 with Retry-After. A 429 that does reach a page is waited out quietly.
 */

const PAGES: Array<[label: string, path: string]> = [
  ["Overview", "/"],
  ["Plan", "/plan"],
  ["Executions", "/executions"],
  ["Catalog", "/catalog"],
  ["Tenants", "/tenants"],
  ["Databases", "/databases"],
  ["Schedules", "/schedules"],
  ["Health", "/health"],
  ["Audit log", "/audit"],
];

test("200 page navigations never show a rate-limit error; an API caller over its limit still gets 429", async ({ page, request }) => {
  test.setTimeout(600_000);
  const limited: string[] = [];
  page.on("response", (r: Response) => {
    if (r.status() === 429) limited.push(r.url());
  });
  await signIn(page, "admin");
  const nav = page.getByRole("navigation", { name: "Main" });
  let apiCalls = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) apiCalls++;
  });
  for (let i = 0; i < 200; i++) {
    const [label, pathname] = PAGES[(i + 1) % PAGES.length]!;
    // As fast as the pages go: on to the next one as soon as the address changed, while the last
    // one's requests may still be in flight (they count all the same).
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}${pathname}`);
    if (i % 10 === 9) {
      await expect(page.locator("main h1").first()).toBeVisible();
      await expect(page.getByText(/rate limit/i)).toHaveCount(0);
    }
    // Now and then a reload too, as a person pressing refresh would: every query asks again.
    if (i % 50 === 49) await page.reload();
  }
  expect(apiCalls, "the pages made more API calls than the API's limit of 60").toBeGreaterThan(60);
  await expect(page.getByText(/rate limit/i)).toHaveCount(0);
  expect(limited, "no request of the console's pages was refused").toEqual([]);

  // A script with a token has the API's budget: past 60 a minute it is refused with Retry-After.
  const headers = { authorization: `Bearer ${await clientToken(E2E.realmPort, "ci-readonly")}` };
  let refused: { status: number; retryAfter: string | undefined; body: string } | null = null;
  // Two windows' worth at most: the first minute boundary may reset the count once.
  for (let i = 0; i < 125 && !refused; i++) {
    const response = await request.get("/api/databases?limit=1", { headers });
    if (response.status() !== 200) refused = { status: response.status(), retryAfter: response.headers()["retry-after"], body: await response.text() };
  }
  expect(refused?.status, refused?.body).toBe(429);
  expect(Number(refused!.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(refused!.body).toContain("rate limit of 60 requests per minute exceeded");

  // Retry-After is honest: once it has passed, the same caller is served again (and the specs
  // after this one find the client's budget as it was).
  await new Promise((resolve) => setTimeout(resolve, (Number(refused!.retryAfter) + 1) * 1000));
  const again = await request.get("/api/databases?limit=1", { headers });
  expect(again.status(), await again.text()).toBe(200);

  // Meanwhile the person's pages go on.
  await nav.getByRole("link", { name: "Databases", exact: true }).click();
  await expect(page.getByRole("region", { name: "Registered databases" })).toBeVisible();
  expect(limited).toEqual([]);
});

test("a 429 that reaches a page is waited out with a quiet notice, not an error", async ({ page }) => {
  await signIn(page, "operator");
  let refusals = 0;
  // The server's answer to the Tenants page's first list request, as a limit would give it; the
  // retry goes through. Only the list (the one request with an offset): the page signed in on may
  // still be asking for its tenant counts (`/api/tenants?limit=1…`) when the test moves on, and one
  // of those took the refusal, so the Tenants page never met it.
  await page.route(/\/api\/tenants\?(.*&)?offset=/, async (route) => {
    if (refusals++ > 0) return route.continue();
    await route.fulfill({
      status: 429,
      headers: { "retry-after": "4", "content-type": "application/json" },
      body: JSON.stringify({ error: "rate_limited", message: "rate limit of 60 requests per minute exceeded; retry in 4s", details: {} }),
    });
  });
  await page.goto("/tenants");
  const notice = page.getByTestId("rate-limit-notice");
  await expect(notice).toContainText("The server asked the console to slow down: trying again in");
  await expect(page.getByRole("region", { name: "Tenants" })).toBeVisible({ timeout: 30_000 });
  await expect(notice).toBeEmpty();
  expect(refusals).toBeGreaterThanOrEqual(2);
  await expect(page.locator("main [role=alert]")).toHaveCount(0);
  await expect(page.getByText(/rate limit of 60/)).toHaveCount(0);
});
