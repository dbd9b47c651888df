import { getSettings } from "../config/settings";
import { buildOpenApiDocument, type OpenApiDocument } from "./document";
import { endpointsOf } from "./endpoints";

let cached: OpenApiDocument | undefined;
/** The serialized document per server URL (one in practice): 165 kB that need not be stringified per request. */
const serialized = new Map<string, string>();

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

/** The published document as JSON text. */
export function publishedDocumentJson(requestUrl?: string): string {
  const document = publishedDocument(requestUrl);
  const key = document.servers[0]?.url ?? "/";
  let text = serialized.get(key);
  if (text === undefined) {
    // Origins come from Host headers: keep a handful, not one per name a client makes up.
    if (serialized.size >= 8) serialized.clear();
    text = JSON.stringify(document);
    serialized.set(key, text);
  }
  return text;
}
