import { expect, type Page, test } from "@playwright/test";
import { createApiClient } from "../api-client/client";
import { clientSecretFromRealmFile } from "../server/auth/dev-realm/realm-file";
import { signIn } from "./support/auth";
import { baseURL, E2E } from "./support/ports";

/**
 * The REST API as a browser and an automation client meet it on the running console: Swagger UI
 * renders the published document (acceptance 5; the production 404 is tests/api/swagger.test.ts),
 * the typed client works against the real server, and every page answers under the security
 * headers without a single Content-Security-Policy violation.
 */

/** A client-credentials token of the development realm, as a CI job gets one. */
async function automationToken(clientId = "ci-admin"): Promise<string> {
  const response = await fetch(`http://localhost:${E2E.realmPort}/realms/infrastructure/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecretFromRealmFile(clientId)! }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const CSP_VIOLATION = /Content Security Policy|Refused to (execute|load|apply|evaluate|connect|frame)/i;

/** Collects what the browser reports as blocked by the Content-Security-Policy. */
function watchViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (CSP_VIOLATION.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (CSP_VIOLATION.test(error.message)) problems.push(error.message);
  });
  return problems;
}

test("Swagger UI renders the published document and runs a call from the browser", async ({ page }) => {
  const problems = watchViolations(page);
  await page.goto("/swagger");
  await expect(page.getByRole("heading", { name: /Infrastructure Console/ })).toBeVisible();
  await expect(page.locator(".opblock-tag-section")).not.toHaveCount(0);
  for (const tag of ["Databases", "Health", "Tenants", "Migrations"]) {
    await expect(page.locator(".opblock-tag", { hasText: tag }).first()).toBeVisible();
  }
  const health = page.locator("#operations-Health-getHealth");
  await expect(health).toContainText("/api/health");
  await health.locator(".opblock-summary").click();
  await health.getByRole("button", { name: "Try it out" }).click();
  await health.getByRole("button", { name: "Execute" }).click();
  await expect(health.locator(".live-responses-table tbody .response-col_status").first()).toHaveText("200");
  await expect(health.locator(".live-responses-table")).toContainText('"status": "healthy"');
  expect(problems).toEqual([]);
});

test("the typed client works against the running console", async () => {
  const api = createApiClient({ baseUrl: baseURL, token: await automationToken() });
  expect((await api.getHealth()).status).toBe("healthy");
  expect(await api.getReadiness()).toEqual({ status: "ready", checks: { control_plane: true, schema_migrated: true } });
  const databases = await api.listDatabases({ query: { limit: 50 } });
  expect(databases.total).toBeGreaterThan(0);
  const document = await api.getOpenApiDocument();
  expect(Object.keys(document.paths)).toContain("/api/databases");
  const detailed = await api.getDetailedHealth();
  expect(detailed.services.find((s) => s.name === "control_plane")?.status).toBe("healthy");
  const metrics = await api.getPrometheusMetrics();
  expect(metrics).toContain('http_request_duration_seconds_count{method="GET",route="/api/health",status="200"}');
});

test("security headers on pages, API answers and static files; preflights from unknown origins refused", async ({ request }) => {
  const signin = await request.get("/signin");
  const csp = signin.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'sha256-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(signin.headers()["x-content-type-options"]).toBe("nosniff");
  expect(signin.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // Next.js put the request's nonce on its own scripts.
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const html = await signin.text();
  expect(html).toContain(`nonce="${nonce}"`);

  const api = await request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(api.headers()["x-frame-options"]).toBe("DENY");

  const asset = /\/_next\/static\/[^"]+\.js/.exec(html)![0];
  const file = await request.get(asset);
  expect(file.status()).toBe(200);
  expect(file.headers()["x-content-type-options"]).toBe("nosniff");

  const preflight = await request.fetch("/api/databases", {
    method: "OPTIONS",
    headers: { origin: "https://elsewhere.example", "access-control-request-method": "POST" },
  });
  expect(preflight.status()).toBe(403);
  expect(preflight.headers()["access-control-allow-origin"]).toBeUndefined();
});

test("the console's pages run under the CSP without violations", async ({ page }) => {
  const problems = watchViolations(page);
  await signIn(page, "operator");
  await page.goto("/databases");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // A client-side interaction works: the scripts were allowed to run.
  await page.getByRole("button", { name: /^Account: / }).click();
  await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
  expect(problems).toEqual([]);
});
