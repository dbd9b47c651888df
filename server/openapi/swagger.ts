import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { getSettings } from "../config/settings";

/**
 * Swagger UI at /swagger, from the swagger-ui-dist package served by the console itself (no CDN, so
 * it works offline and under the console's Content-Security-Policy: no inline script, the page's
 * scripts carry the request's nonce). Off in production, as in the original service.
 */

/** The files /swagger/<name> serves: the package's files plus our own initializer. */
const PACKAGE_ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "index.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

export const INIT_SCRIPT_NAME = "swagger-init.js";

const INIT_SCRIPT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    displayOperationId: true,
    persistAuthorization: false
  });
});
`;

export const swaggerEnabled = () => !getSettings().isProduction;

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

export function swaggerPage(nonce: string | null): string {
  const title = `${getSettings().appName} · REST API`;
  const n = nonce ? ` nonce="${escapeAttribute(nonce)}"` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</title>
<link rel="stylesheet" href="/swagger/index.css">
<link rel="stylesheet" href="/swagger/swagger-ui.css">
<link rel="icon" type="image/png" href="/swagger/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/swagger/swagger-ui-bundle.js"${n}></script>
<script src="/swagger/${INIT_SCRIPT_NAME}"${n}></script>
</body>
</html>
`;
}

const cache = new Map<string, Buffer>();

/** A Swagger UI asset by name, or null for any name not on the list (no path is ever built from input). */
export async function swaggerAsset(name: string): Promise<{ body: Buffer | string; contentType: string } | null> {
  if (name === INIT_SCRIPT_NAME) return { body: INIT_SCRIPT, contentType: "text/javascript; charset=utf-8" };
  const contentType = Object.hasOwn(PACKAGE_ASSETS, name) ? PACKAGE_ASSETS[name] : undefined;
  if (!contentType) return null;
  let body = cache.get(name);
  if (!body) {
    // The console always runs from the repository root (as for drizzle/ and the migration catalog).
    body = await readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", name));
    cache.set(name, body);
  }
  return { body, contentType };
}
