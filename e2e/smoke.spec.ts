import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

test("the console answers its health check with version and environment", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "healthy", version: expect.any(String), environment: "testing" });
});

test("an operator signs in and sees the demo fleet on the overview", async ({ page }) => {
  await signIn(page, "operator");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const navigation = page.getByRole("navigation", { name: "Main" });
  for (const section of ["Overview", "Plan", "Executions", "Catalog", "Tenants", "Databases", "Schedules"]) {
    await expect(navigation.getByRole("link", { name: section })).toBeVisible();
  }
});
