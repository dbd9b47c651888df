import { describe, expect, it } from "vitest";
import { clientCall, curlCommand, shellQuote } from "./api-call";

describe("curlCommand", () => {
  it("posts the exact JSON body with the token placeholder", () => {
    const body = { scope: "regional", region: "eu-west-1", dry_run: true, plan_fingerprint: "ab" };
    expect(curlCommand({ operation: "execute", method: "POST", path: "/api/migrations/execute", body }, "http://localhost:3000")).toBe(
      [
        "curl -sS --fail-with-body -X POST 'http://localhost:3000/api/migrations/execute' \\",
        '  -H "Authorization: Bearer $TOKEN" \\',
        "  -H 'Content-Type: application/json' \\",
        `  --data '${JSON.stringify(body)}'`,
      ].join("\n"),
    );
  });

  it("puts a read's parameters in the query string, lists comma-separated", () => {
    const command = curlCommand(
      { operation: "getPlan", method: "GET", path: "/api/migrations/dynamic/plan", query: { scope: "tenant", tenant_ids: ["a", "b"], include_providers: true } },
      "https://console.example.com",
    );
    expect(command).toContain("'https://console.example.com/api/migrations/dynamic/plan?scope=tenant&tenant_ids=a%2Cb&include_providers=true'");
    expect(command).not.toContain("--data");
  });

  it("keeps a quote inside a value from ending the shell word", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe("clientCall", () => {
  it("calls the operation with path parameters and body", () => {
    const line = clientCall(
      { operation: "tenantMigrate", method: "POST", path: "/api/tenants/t1/migrate", params: { id: "t1" }, body: { dry_run: false } },
      "http://localhost:3000",
    );
    expect(line).toContain("createApiClient({ baseUrl: \"http://localhost:3000\", token: process.env.TOKEN })");
    expect(line).toContain('await api.tenantMigrate({\n  "params": {\n    "id": "t1"\n  },\n  "body": {\n    "dry_run": false\n  }\n})');
  });
});
