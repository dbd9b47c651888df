import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./support/ports";

/**
 * The README's automation recipe, run as written (only the two ports point at this test console):
 * a client-credentials token from the development realm, then GET /api/auth/me with it.
 */
test("the README's curl recipe gets a token and calls /api/auth/me", () => {
  const readme = readFileSync("README.md", "utf8");
  const recipe = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((block) => block.includes("grant_type=client_credentials"));
  expect(recipe, "README has a client-credentials recipe").toBeDefined();
  const script = recipe!.replaceAll("localhost:8089", `localhost:${E2E.realmPort}`).replaceAll("localhost:3000", `localhost:${E2E.port}`);
  const output = execFileSync("bash", ["-euo", "pipefail", "-c", script], { encoding: "utf8", timeout: 30_000 });
  expect(JSON.parse(output)).toMatchObject({
    username: "service-account-ci-readonly",
    type: "client",
    client_id: "ci-readonly",
    authenticated_via: "bearer",
    permissions: ["migrations:read", "databases:read"],
  });
});
