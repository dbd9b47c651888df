import { createHash } from "node:crypto";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { proxy } from "../../proxy";
import { themeScript } from "../../components/theme/theme-script";
import { setEnv } from "../support/test-env";
import { PRODUCTION_ENV } from "../support/production-env";

/**
 * CORS and security headers as proxy.ts applies them to every page and API response: preflights
 * answered from CORS_ALLOW_ORIGINS / CORS_ALLOW_CREDENTIALS, a per-request CSP nonce handed to
 * Next.js, frame-ancestors 'none', nosniff, referrer policy, HSTS in production only.
 */


function configure(env: Record<string, string>) {
  const cleared = Object.fromEntries(Object.keys({ ...PRODUCTION_ENV, CORS_ALLOW_ORIGINS: "", CORS_ALLOW_CREDENTIALS: "" }).map((k) => [k, ""]));
  setEnv({ ...cleared, ENVIRONMENT: "testing", ...env });
}

afterEach(() => configure({}));

const request = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(new URL(path, "http://localhost:3000"), { method: init.method ?? "GET", headers: init.headers });

const preflight = (origin: string, method = "POST", headers = "authorization, content-type") =>
  proxy(request("/api/databases", { method: "OPTIONS", headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers } }));

describe("CORS", () => {
  it("answers a preflight from an allowed origin with what it may send", () => {
    configure({ CORS_ALLOW_ORIGINS: "https://ci.example.com, https://portal.example.com", CORS_ALLOW_CREDENTIALS: "false" });
    const res = preflight("https://portal.example.com");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://portal.example.com");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("refuses a preflight from any other origin, or asking for a header it does not allow", async () => {
    configure({ CORS_ALLOW_ORIGINS: "https://ci.example.com" });
    const other = preflight("https://evil.example.net");
    expect(other.status).toBe(403);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(await other.json()).toMatchObject({ error: "forbidden", message: expect.stringContaining("https://evil.example.net") });
    expect(preflight("https://ci.example.com", "POST", "x-secret-header").status).toBe(403);
    expect(preflight("https://ci.example.com", "TRACE").status).toBe(403);
  });

  it("with no origins configured (the default) nobody gets cross-origin access", () => {
    configure({});
    expect(preflight("https://ci.example.com").status).toBe(403);
    const res = proxy(request("/api/health", { headers: { origin: "https://ci.example.com" } }));
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("adds the allow headers to actual responses for an allowed origin, credentials when configured", () => {
    configure({ CORS_ALLOW_ORIGINS: "https://portal.example.com", CORS_ALLOW_CREDENTIALS: "true" });
    const res = proxy(request("/api/databases", { headers: { origin: "https://portal.example.com" } }));
    expect(res.headers.get("access-control-allow-origin")).toBe("https://portal.example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-expose-headers")).toContain("Retry-After");
    expect(res.headers.get("access-control-expose-headers")).toContain("RateLimit-Remaining");
    const denied = proxy(request("/api/databases", { headers: { origin: "https://other.example.com" } }));
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("'*' outside production: any origin, echoed when credentials are on (a browser refuses '*' with credentials)", () => {
    configure({ CORS_ALLOW_ORIGINS: "*", CORS_ALLOW_CREDENTIALS: "false" });
    expect(proxy(request("/api/health", { headers: { origin: "https://a.example" } })).headers.get("access-control-allow-origin")).toBe("*");
    configure({ CORS_ALLOW_ORIGINS: "*", CORS_ALLOW_CREDENTIALS: "true" });
    expect(proxy(request("/api/health", { headers: { origin: "https://a.example" } })).headers.get("access-control-allow-origin")).toBe("https://a.example");
  });

  it("'*' with credentials cannot start in production", () => {
    expect(() => configure({ ...PRODUCTION_ENV, CORS_ALLOW_ORIGINS: "*", CORS_ALLOW_CREDENTIALS: "true" })).not.toThrow();
    expect(() => proxy(request("/api/health"))).toThrow(/CORS_ALLOW_ORIGINS: '\*' cannot be combined with CORS_ALLOW_CREDENTIALS=true/);
  });
});

describe("security headers", () => {
  it("every page gets a CSP with a fresh nonce handed to Next.js, the theme script's hash and no framing", () => {
    configure({});
    const first = proxy(request("/"));
    const second = proxy(request("/"));
    const csp = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    // Next.js reads the nonce from the request's CSP header (passed on as an overridden request header).
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    const hash = createHash("sha256").update(themeScript).digest("base64");
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toMatch(/form-action 'self' http:\/\/localhost:\d+/);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });

  it("a caller cannot choose the nonce", () => {
    configure({});
    const res = proxy(request("/swagger", { headers: { "x-nonce": "chosen" } }));
    expect(res.headers.get("x-middleware-request-x-nonce")).not.toBe("chosen");
  });

  it("API responses and preflights carry them too; HSTS and upgrade-insecure-requests in production only", () => {
    configure(PRODUCTION_ENV);
    const api = proxy(request("/api/health"));
    expect(api.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(api.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    expect(api.headers.get("content-security-policy")).toContain("form-action 'self' https://sso.example.com");
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
    const pre = preflight("https://ci.example.com");
    expect(pre.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(pre.headers.get("x-frame-options")).toBe("DENY");
  });
});
