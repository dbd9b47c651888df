import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { ensureAdminApplied, ensureSharedApplied, FLEET, fleetSession } from "./dashboard-fleet";
import { signIn } from "./support/auth";

/**
 * Onboarding and offboarding in the browser: an operator registers a tenant with "Migrate to the
 * catalog's head" (on by default with a new schema) and follows the execution it started to the
 * end; the schema then holds the whole tenant tier. An admin suspends the tenant, reads what
 * deleting its schema would drop, types the schema's name and deletes it. A viewer sees neither the
 * register nor the delete control, and an operator sees no delete.
 */

test.describe.configure({ mode: "serial", timeout: 180_000 });

const suffix = randomBytes(3).toString("hex");
const slug = `onboard-${suffix}`;
const name = `Onboarded ${suffix}`;
const schema = `tenant_onboard_${suffix}`;

async function schemaTables(): Promise<string[]> {
  const session = await fleetSession(FLEET.sharedEu);
  try {
    const { rows } = await session.query<{ relname: string }>(
      "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r' order by 1",
      [schema],
    );
    return rows.map((r) => r.relname);
  } finally {
    await session.end();
  }
}

async function openTenant(page: Page) {
  await page.goto("/tenants");
  await page.getByRole("textbox", { name: "Search slug, name or schema" }).fill(suffix);
  await page.getByRole("region", { name: "Tenants" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

test("an operator registers a tenant with the migrate box and follows its execution to completion", async ({ page }) => {
  await signIn(page, "operator");
  // What the tenant tier requires elsewhere (the admin plans, the region's currencies) is applied.
  await ensureAdminApplied(page.request);
  await ensureSharedApplied(page.request, "eu-west-1");

  await page.goto("/tenants");
  await page.getByRole("button", { name: "Register tenant" }).click();
  const register = page.getByRole("dialog", { name: "Register a tenant" });
  await register.getByRole("textbox", { name: "Slug", exact: true }).fill(slug);
  await register.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await register.getByRole("combobox", { name: "Database", exact: true }).click();
  await page.getByRole("option", { name: "shared-eu-west-1 (shared, eu-west-1)" }).click();

  // Migrating follows "create the schema" until the operator sets it.
  const createSchema = register.getByRole("checkbox", { name: "Create the schema on the database" });
  const migrate = register.getByRole("checkbox", { name: "Migrate to the catalog's head" });
  await expect(createSchema).toBeChecked();
  await expect(migrate).toBeChecked();
  await createSchema.click();
  await expect(migrate).not.toBeChecked();
  await createSchema.click();
  await expect(migrate).toBeChecked();

  await register.getByRole("button", { name: "Register tenant" }).click();
  const result = register.getByRole("region", { name: "Registration result" });
  await expect(result).toHaveAttribute("data-outcome", "started");
  await expect(result).toContainText("Migration started");
  await expect(result).toContainText(`Registered ${name} in ${schema}`);

  await result.getByRole("link", { name: "Follow the execution" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  const view = page.getByTestId("execution");
  await expect(view).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(page.locator(`tr[data-target='shared-eu-west-1/${schema}']`)).toHaveAttribute("data-status", "succeeded");
  expect(await schemaTables()).toEqual(["_schema_migrations", "accounts", "contacts", "invoice_lines", "invoices"]);

  // Its page: nothing pending; an operator has no delete control.
  await openTenant(page);
  await expect(page.getByText("Nothing pending: this tenant is up to date with the catalog.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Delete schema/ })).toHaveCount(0);
});

test("a viewer sees no register or delete control", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants");
  await expect(page.getByRole("region", { name: "Tenants" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Register tenant" })).toHaveCount(0);
  await openTenant(page);
  await expect(page.getByRole("button", { name: /Delete schema|Suspend|Archive|Edit/ })).toHaveCount(0);
});

test("an admin deletes the schema of a suspended tenant after the preview and typing its name", async ({ page }) => {
  await signIn(page, "admin");
  await openTenant(page);

  // While the tenant is active, the preview says why it cannot go, and asks for nothing.
  await page.getByRole("button", { name: "Delete schema…" }).click();
  let dialog = page.getByRole("alertdialog", { name: `Delete the schema of ${name}?` });
  const tables = dialog.getByRole("table", { name: "Tables and views" });
  await expect(tables.getByRole("row", { name: /_schema_migrations/ })).toContainText("6");
  await expect(tables.getByRole("row", { name: /^invoices/ })).toBeVisible();
  await expect(dialog.getByRole("alert")).toContainText("is active: suspend or archive it");
  await expect(dialog.getByRole("button", { name: "Delete schema" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("button", { name: `Suspend ${name}` }).click();
  await page.getByRole("alertdialog", { name: `Suspend ${name}?` }).getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByRole("button", { name: `Activate ${name}` })).toBeVisible();

  await page.getByRole("button", { name: "Delete schema…" }).click();
  dialog = page.getByRole("alertdialog", { name: `Delete the schema of ${name}?` });
  await expect(dialog.getByRole("region", { name: "What is dropped" })).toContainText("5 tables and views (6 rows");
  const confirm = dialog.getByRole("textbox", { name: `Type ${schema} to confirm` });
  await confirm.fill(schema.toUpperCase());
  await expect(dialog.getByRole("button", { name: "Delete schema" })).toBeDisabled();
  await confirm.fill(schema);
  await dialog.getByRole("button", { name: "Delete schema" }).click();
  await expect(page.getByText(`Dropped schema ${schema}`)).toBeVisible();
  await expect(dialog).toBeHidden();
  expect(await schemaTables()).toEqual([]);
});
