import { expect, type Page } from "@playwright/test";

export type DevUser = "viewer" | "operator" | "admin" | "approver";

/**
 * Signs in through the real flow: the console's sign-in page, the development realm's login form
 * (password = user name in the realm file), and back to the console.
 */
export async function signIn(page: Page, user: DevUser, path = "/") {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await page.getByLabel("Username or email").fill(user);
  await page.getByLabel("Password").fill(user);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: `Account: ${user}` })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
}
