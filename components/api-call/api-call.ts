/**
 * The request a page is about to make, written out for a script or CI: a curl command with a
 * `$TOKEN` placeholder and the exact JSON body, and the same call through the typed client
 * (api-client/). Pure, so the text shown is the text tested.
 */

export interface ApiCall {
  /** The typed client's operation (its operationId in /api/openapi.json). */
  operation: string;
  method: "GET" | "POST";
  /** The path with its parameters filled in, e.g. /api/tenants/<id>/migrate. */
  path: string;
  /** Path parameters as the typed client takes them. */
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: Record<string, unknown>;
}

/** A value inside single quotes for a POSIX shell ('it'\''s'). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function queryString(query: ApiCall["query"]): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    search.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

/** curl for a shell with TOKEN set to an access token: fails on an HTTP error, prints the JSON. */
export function curlCommand(call: ApiCall, origin: string): string {
  const lines = [`curl -sS --fail-with-body -X ${call.method} ${shellQuote(`${origin}${call.path}${queryString(call.query)}`)}`];
  lines.push(`  -H "Authorization: Bearer $TOKEN"`);
  if (call.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  --data ${shellQuote(JSON.stringify(call.body))}`);
  }
  return lines.join(" \\\n");
}

/** The typed client's line, with the client made once from TOKEN. */
export function clientCall(call: ApiCall, origin: string): string {
  const input: Record<string, unknown> = {};
  if (call.params) input.params = call.params;
  const query = Object.fromEntries(
    Object.entries(call.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]),
  );
  if (Object.keys(query).length) input.query = query;
  if (call.body !== undefined) input.body = call.body;
  return [
    `import { createApiClient } from "./api-client/client";`,
    `const api = createApiClient({ baseUrl: ${JSON.stringify(origin)}, token: process.env.TOKEN });`,
    `const result = await api.${call.operation}(${JSON.stringify(input, null, 2)});`,
  ].join("\n");
}
