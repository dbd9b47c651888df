import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

/**
 * Outbound webhooks in the browser: an admin adds an endpoint pointing at a receiver this spec
 * runs on localhost, keeps the generated secret, sends a test, and sees the delivery succeed in the
 * log while the receiver holds a request whose signature verifies with that secret. Operators and
 * viewers have no Webhooks link, and the page tells them why.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let origin: string;
const received: Received[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

test.describe.configure({ mode: "serial" });

function verifies(request: Received, secret: string): boolean {
  const header = String(request.headers["x-console-signature"] ?? "");
  const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
  const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!t || !v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${request.body}`).digest();
  return timingSafeEqual(Buffer.from(v1, "hex"), expected);
}

test("an admin adds a webhook, sends a test, and sees the signed delivery in the log", async ({ page }) => {
  const name = `ops-${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

  await page.getByRole("button", { name: "Add webhook" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add webhook" });
  // A URL outside http(s) is refused, naming the field, and nothing is added.
  await dialog.getByRole("textbox", { name: "Name" }).fill(name);
  await dialog.getByRole("textbox", { name: "URL" }).fill(`${origin}/hook`.replace("http:", "ftp:"));
  await dialog.getByRole("button", { name: "Add webhook" }).click();
  await expect(dialog.getByText("url must use http or https, not ftp")).toBeVisible();

  await dialog.getByRole("textbox", { name: "URL" }).fill(`${origin}/hook`);
  await dialog.getByRole("checkbox", { name: "Execution completed" }).check();
  await dialog.getByRole("button", { name: "Add webhook" }).click();
  const secret = (await dialog.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await expect(dialog.getByText("will not be shown again")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });
  await expect(row.getByRole("list", { name: `Events of ${name}` })).toContainText("Execution completed");
  await expect(row).toContainText("none yet");
  await row.getByRole("button", { name: "Send test" }).click();

  const log = page.getByRole("region", { name: `Delivery log of ${name}` });
  const delivery = log.getByRole("row").filter({ hasText: "webhook.test" });
  await expect(delivery.getByText("succeeded")).toBeVisible({ timeout: 30_000 });
  await expect(delivery).toContainText("HTTP 200");
  await expect(delivery).toContainText("1 of");
  await delivery.getByRole("button", { name: "Body of the webhook.test delivery" }).click();
  await expect(log.getByText(`"name": "${name}"`)).toBeVisible();

  // The page with its delivery log open has no serious accessibility problem.
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  const request = received.find((r) => r.path === "/hook" && JSON.parse(r.body).data?.endpoint?.name === name);
  expect(request, "the receiver got the test delivery").toBeDefined();
  expect(verifies(request!, secret)).toBe(true);
  expect(request!.headers["x-console-event"]).toBe("webhook.test");
  // The secret is never shown again, nor sent back by the API.
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  const list = await page.request.get("/api/webhooks");
  expect(await list.text()).not.toContain(secret);
  await expect(page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) })).toContainText("succeeded");
});

for (const user of ["operator", "viewer"] as const) {
  test(`${user}: no Webhooks link, and the page says which permission it needs`, async ({ page }) => {
    await signIn(page, user);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Executions" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Webhooks" })).toHaveCount(0);
    await page.goto("/webhooks");
    await expect(page.locator("main").getByRole("alert")).toContainText("infrastructure:admin");
    await expect(page.getByRole("button", { name: "Add webhook" })).toHaveCount(0);
    expect((await page.request.get("/api/webhooks")).status()).toBe(403);
  });
}
