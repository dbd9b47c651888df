import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./support/auth";

test("a signed-out visitor is sent to the sign-in page", async ({ page }) => {
  await page.goto("/databases");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("button", { name: "Sign in with Keycloak" })).toBeVisible();
});

test("a wrong password is refused by the realm and nothing is signed in", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await page.getByLabel("Username or email").fill("operator");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Invalid username or password");
});

test("a viewer sees read-only sections and the server refuses the viewer's writes with 403", async ({ page }) => {
  await signIn(page, "viewer");
  const navigation = page.getByRole("navigation", { name: "Main" });
  await expect(navigation.getByRole("link", { name: "Databases" })).toBeVisible();
  await expect(navigation.getByRole("link", { name: "Schedules" })).toHaveCount(0);
  await expect(navigation.getByRole("link", { name: "Audit log" })).toHaveCount(0);

  // The browser session itself, calling the API directly: the server decides, not the UI.
  const write = await page.request.post("/api/databases", {
    data: { name: "viewer-attempt", host: "localhost", port: 5432, database_name: "x", username: "x", connection_type: "analytics" },
  });
  expect(write.status()).toBe(403);
  expect(await write.json()).toMatchObject({ error: "forbidden", message: "missing permission: databases:manage" });

  const me = await page.request.get("/api/auth/me");
  expect(await me.json()).toMatchObject({ username: "viewer", authenticated_via: "session" });
});

test("sign-out ends the session and returns to the sign-in page", async ({ page }) => {
  await signIn(page, "operator");
  await signOut(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);
  // The Keycloak session ended too: signing in again asks for the password.
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await expect(page.getByLabel("Password")).toBeVisible();
});
