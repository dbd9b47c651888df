import { defineConfig, devices } from "@playwright/test";
import { baseURL } from "./e2e/support/ports";

export default defineConfig({
  testDir: "./e2e",
  testMatch: /.*\.spec\.ts/,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: true,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } }],
  webServer: {
    // One process, no npm or tsx wrapper in between: the shutdown signal reaches the console itself,
    // which stops cleanly and removes its data folder before it exits.
    command: "exec node --import tsx e2e/support/start-console.ts",
    url: `${baseURL}/api/health`,
    // A stale console on this port would be tested instead of this checkout: never reuse one.
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: process.env.E2E_VERBOSE ? "pipe" : "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
