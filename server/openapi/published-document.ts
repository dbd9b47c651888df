import { getSettings } from "../config/settings";
import { buildOpenApiDocument, type OpenApiDocument } from "./document";
import { endpointsOf } from "./endpoints";

let cached: OpenApiDocument | undefined;

/**
 * The document this console publishes: built once per process (the contracts do not change at run
 * time), with this console's public URL (AUTH_URL, else the request's origin) as its server.
 */
export function publishedDocument(requestUrl?: string): OpenApiDocument {
  const settings = getSettings();
  cached ??= buildOpenApiDocument(endpointsOf(), { title: settings.appName, version: settings.appVersion });
  const base = settings.authUrl ?? (requestUrl ? new URL(requestUrl).origin : undefined);
  return base ? { ...cached, servers: [{ url: new URL(base).origin, description: "this console" }] } : cached;
}
