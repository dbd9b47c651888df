import { afterAll, describe, expect, it } from "vitest";
import * as page from "../../app/swagger/route";
import * as asset from "../../app/swagger/[asset]/route";
import { setEnv } from "../support/test-env";
import { PRODUCTION_ENV } from "../support/production-env";

/**
 * Acceptance 5 (route level): /swagger serves Swagger UI from the console's own files outside
 * production and is 404 in production, assets included. The browser test (e2e/swagger.spec.ts)
 * renders it.
 */


const outsideProduction = () => setEnv({ ...Object.fromEntries(Object.keys(PRODUCTION_ENV).map((k) => [k, ""])), ENVIRONMENT: "testing" });

afterAll(outsideProduction);

const getAsset = (name: string) => asset.GET(new Request(`http://localhost:3000/swagger/${name}`), { params: Promise.resolve({ asset: name }) });

describe("/swagger", () => {
  it("outside production: a page loading Swagger UI from /swagger/*, scripts carrying the request's nonce", async () => {
    outsideProduction();
    const res = page.GET(new Request("http://localhost:3000/swagger", { headers: { "x-nonce": "bm9uY2U=" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain('<script src="/swagger/swagger-ui-bundle.js" nonce="bm9uY2U="></script>');
    expect(html).toContain('<script src="/swagger/swagger-init.js" nonce="bm9uY2U="></script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>(?!<)/);
  });

  it("serves the listed assets with their types, and nothing else", async () => {
    outsideProduction();
    const bundle = await getAsset("swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("text/javascript");
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    const init = await (await getAsset("swagger-init.js")).text();
    expect(init).toContain('url: "/api/openapi.json"');
    expect(init).toContain("validatorUrl: null");
    expect((await getAsset("swagger-ui.css")).headers.get("content-type")).toContain("text/css");
    for (const name of ["package.json", "..%2Fpackage.json", "../../package.json", "index.html", "constructor", "__proto__"]) {
      expect((await getAsset(name)).status, name).toBe(404);
    }
  });

  it("is 404 in production, page and assets", async () => {
    setEnv(PRODUCTION_ENV);
    expect(page.GET(new Request("http://localhost:3000/swagger")).status).toBe(404);
    expect((await getAsset("swagger-ui-bundle.js")).status).toBe(404);
    expect((await getAsset("swagger-init.js")).status).toBe(404);
  });
});
