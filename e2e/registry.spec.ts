import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { startEmbeddedPostgres } from "../server/runtime/embedded-postgres";
import { signIn } from "./support/auth";

/**
 * The registry in the browser: an operator registers a database through the form (a failed test
 * shows PostgreSQL's error, a passing one the server version), and finds it in the list, healthy;
 * a viewer sees the same list without any control to add, edit, test or delete. An operator then
 * runs every other registry write from the pages: test, rename and remove a database, register a
 * tenant with its schema, discover and register another, archive them.
 *
 * The database to register belongs to this spec: a login role and database on TEST_DATABASE_URL's
 * server when set, otherwise a PostgreSQL cluster of its own (password-checked).
 */

interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  stop: () => Promise<void>;
}

let target: Target;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  target = await createTarget();
});

test.afterAll(async () => {
  await target?.stop();
});

test.describe.configure({ mode: "serial" });

test("an operator registers a database through the form, tests it, and sees it in the list", async ({ page }) => {
  const name = `reporting-${randomBytes(3).toString("hex")}`;
  await signIn(page, "operator");
  await page.goto("/databases");
  await expect(page.getByRole("heading", { level: 1, name: "Databases" })).toBeVisible();
  // The demo fleet is there already.
  await expect(page.getByRole("region", { name: "Registered databases" }).getByRole("link", { name: "admin", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Register database" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Register a database" });
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await chooseOption(page, dialog.getByRole("combobox", { name: "Tier", exact: true }), "Analytics");
  await dialog.getByRole("textbox", { name: "Host", exact: true }).fill(target.host);
  await dialog.getByRole("textbox", { name: "Port", exact: true }).fill(String(target.port));
  await dialog.getByRole("textbox", { name: "Database", exact: true }).fill(`${target.database}_missing`);
  await dialog.getByRole("textbox", { name: "User", exact: true }).fill(target.user);
  await dialog.getByLabel("Password").fill(target.password);

  // A test against a database that does not exist shows PostgreSQL's own error.
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect(dialog.getByText(/Connection failed \(3D000\): database ".*_missing" does not exist/)).toBeVisible();

  await dialog.getByRole("textbox", { name: "Database", exact: true }).fill(target.database);
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect(dialog.getByText(/Connected: PostgreSQL \d+/)).toBeVisible();

  await dialog.getByRole("button", { name: "Register database" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId(`connection-${name}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("Analytics");
  await expect(row).toContainText(`${target.host}:${target.port}/${target.database}`);
  // Registration ran a real test, recorded as the first health check.
  await expect(row.locator("[data-health]")).toHaveAttribute("data-health", "healthy");

  // The password went in, and never comes back out.
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("stored (encrypted)")).toBeVisible();
  expect(await page.content()).not.toContain(target.password);
});

test("a viewer sees the list without add, edit, test or delete controls", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/databases");
  const table = page.getByRole("region", { name: "Registered databases" });
  await expect(table.getByRole("link", { name: "admin", exact: true })).toBeVisible();
  await expect(table.getByRole("link", { name: /^reporting-/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Register database" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(Edit|Delete|Test) / })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: "Actions" })).toHaveCount(0);

  await table.getByRole("link", { name: "admin", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "admin" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Edit|Delete|Test now)$/ })).toHaveCount(0);

  await page.goto("/tenants");
  await expect(page.getByRole("region", { name: "Tenants" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Register tenant" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Discover schemas" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(Suspend|Archive|Activate) / })).toHaveCount(0);
});

test("an operator hosts tenants on a database, discovers more, and removes the database once they are archived", async ({ page }) => {
  // Ten writes through the pages, each waiting for the list to show it.
  test.setTimeout(180_000);
  const suffix = randomBytes(3).toString("hex");
  const database = `tenants-${suffix}`;
  const renamed = `${database}-dedicated`;
  const slug = `e2e-${suffix}`;
  const found = `tenant_found_${suffix}`;
  // A schema that looks like a tenant but is not registered, for discovery to find.
  await onTarget((client) => client.query(`create schema "${found}"`));

  await signIn(page, "operator");
  await page.goto("/databases");
  await page.getByRole("button", { name: "Register database" }).first().click();
  const form = page.getByRole("dialog", { name: "Register a database" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(database);
  await chooseOption(page, form.getByRole("combobox", { name: "Tier", exact: true }), "Tenant");
  await form.getByRole("textbox", { name: "Region", exact: true }).fill("eu-west-1");
  await form.getByRole("textbox", { name: "Host", exact: true }).fill(target.host);
  await form.getByRole("textbox", { name: "Port", exact: true }).fill(String(target.port));
  await form.getByRole("textbox", { name: "Database", exact: true }).fill(target.database);
  await form.getByRole("textbox", { name: "User", exact: true }).fill(target.user);
  await form.getByLabel("Password").fill(target.password);
  await form.getByRole("button", { name: "Register database" }).click();
  await expect(form).toBeHidden();

  // Test from the row, then rename: the list follows each change.
  await page.getByRole("button", { name: `Test ${database}` }).click();
  await expect(page.getByText(new RegExp(`^${database}: connected in \\d+ ms \\(PostgreSQL`))).toBeVisible();
  await page.getByRole("button", { name: `Edit ${database}` }).click();
  const edit = page.getByRole("dialog", { name: `Edit ${database}` });
  await edit.getByRole("textbox", { name: "Name", exact: true }).fill(renamed);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByTestId(`connection-${renamed}`)).toBeVisible();

  // Register a tenant on it, creating its schema there.
  await page.goto("/tenants");
  await page.getByRole("button", { name: "Register tenant" }).click();
  const register = page.getByRole("dialog", { name: "Register a tenant" });
  await register.getByRole("textbox", { name: "Slug", exact: true }).fill(slug);
  await register.getByRole("textbox", { name: "Name", exact: true }).fill(`Tenant ${suffix}`);
  await chooseOption(page, register.getByRole("combobox", { name: "Database", exact: true }), `${renamed} (tenant, eu-west-1)`);
  // Registration only: migrating a new tenant is onboarding.spec.ts's.
  await register.getByRole("checkbox", { name: "Migrate to the catalog's head" }).uncheck();
  await register.getByRole("button", { name: "Register tenant" }).click();
  await expect(register).toBeHidden();
  await page.getByRole("textbox", { name: "Search slug, name or schema" }).fill(suffix);
  await expect(page.getByTestId(`tenant-${slug}`)).toContainText(`tenant_e2e_${suffix}`);
  const schemas = await onTarget((client) => client.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 'tenant\\_%' order by 1"));
  expect(schemas.rows.map((r) => r.nspname)).toEqual([`tenant_e2e_${suffix}`, found]);

  // Discovery lists only the unregistered schema and registers it.
  await page.getByRole("button", { name: "Discover schemas" }).click();
  const discover = page.getByRole("dialog", { name: "Discover tenant schemas" });
  await chooseOption(page, discover.getByRole("combobox", { name: "Database", exact: true }), renamed);
  await discover.getByRole("button", { name: "Find schemas" }).click();
  await expect(discover.getByRole("checkbox", { name: `Register ${found}` })).toBeChecked();
  await expect(discover.getByRole("checkbox", { name: /^Register tenant_/ })).toHaveCount(1);
  await discover.getByRole("button", { name: "Register 1 tenant" }).click();
  await expect(discover).toBeHidden();
  const tenants = page.getByRole("region", { name: "Tenants" });
  await expect(tenants.getByRole("row")).toHaveCount(3);

  // The database cannot go while it hosts tenants that are not archived; archived, it can.
  await page.goto("/databases");
  await page.getByRole("button", { name: `Delete ${renamed}` }).click();
  const remove = page.getByRole("alertdialog", { name: `Remove ${renamed}?` });
  await remove.getByRole("button", { name: "Remove database" }).click();
  await expect(page.getByText("connection hosts 2 tenant(s) that are not archived: move or archive them first")).toBeVisible();
  await remove.getByRole("button", { name: "Cancel" }).click();

  await page.goto("/tenants");
  await page.getByRole("textbox", { name: "Search slug, name or schema" }).fill(suffix);
  // Only this test's two tenants are listed before any button is pressed.
  await expect(tenants.getByRole("row")).toHaveCount(3);
  for (const tenant of [`Tenant ${suffix}`, `Found ${suffix}`]) {
    await tenants.getByRole("button", { name: new RegExp(`^Archive ${tenant}$`, "i") }).click();
    await page.getByRole("alertdialog", { name: new RegExp(`^Archive ${tenant}\\?$`, "i") }).getByRole("button", { name: "Archive" }).click();
    await expect(tenants.getByRole("row", { name: new RegExp(tenant, "i") })).toContainText("Archived");
  }

  await page.goto("/databases");
  await page.getByRole("button", { name: `Delete ${renamed}` }).click();
  await page.getByRole("alertdialog", { name: `Remove ${renamed}?` }).getByRole("button", { name: "Remove database" }).click();
  await expect(page.getByText(`Removed ${renamed}`)).toBeVisible();
  await expect(page.getByTestId(`connection-${renamed}`)).toHaveCount(0);
});

/** Runs `work` on the spec's own database as its owner. */
async function onTarget<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: target.host, port: target.port, database: target.database, user: target.user, password: target.password });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Opens a Radix select and picks an option by its visible name. */
async function chooseOption(page: Page, trigger: ReturnType<Page["getByRole"]>, option: string) {
  await trigger.click();
  await page.getByRole("option", { name: option }).click();
}

async function createTarget(): Promise<Target> {
  const user = `e2e_reporter_${randomBytes(3).toString("hex")}`;
  const password = `E2e-${randomBytes(9).toString("base64url")}`;
  const database = `e2e_reporting_${randomBytes(3).toString("hex")}`;
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const url = new URL(external);
    await provision(external, user, password, database);
    return {
      host: url.hostname,
      port: Number(url.port || 5432),
      database,
      user,
      password,
      stop: async () => {
        const admin = new pg.Client({ connectionString: external });
        await admin.connect();
        await admin.query(`drop database if exists "${database}" with (force)`);
        await admin.query(`drop role if exists "${user}"`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "e2e-registry-pg-"));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port, password: randomBytes(12).toString("base64url") });
  await provision(cluster.url("postgres"), user, password, database);
  return {
    host: "127.0.0.1",
    port,
    database,
    user,
    password,
    stop: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function provision(adminUrl: string, user: string, password: string, database: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ lit: string }>("select quote_literal($1::text) as lit", [password]);
    await admin.query(`create role "${user}" login password ${rows[0]!.lit}`);
    await admin.query(`create database "${database}" owner "${user}"`);
  } finally {
    await admin.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
